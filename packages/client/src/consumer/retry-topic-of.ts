/** The topic a group's failed messages come back through (the broker's feature-retry names it so). */
export function retryTopicOf(group: string): string {
  return `%RETRY%${group}`;
}
