/**
 * Topics a user may produce to and consume from, as patterns over Tessera topic names where
 * `*` stands for any run of characters (`orders.*`, `*`).
 */
export interface UserPermissions {
  produce: readonly string[];
  consume: readonly string[];
}

export type UserAction = keyof UserPermissions;

/** Whether `permissions` (undefined: no restriction) let a client do `action` on `topic`. */
export function permits(permissions: UserPermissions | undefined, action: UserAction, topic: string): boolean {
  if (!permissions) return true;
  return permissions[action].some((pattern) => topicPatternMatches(pattern, topic));
}

export function topicPatternMatches(pattern: string, topic: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === topic;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (topic.length < first.length + last.length || !topic.startsWith(first) || !topic.endsWith(last)) return false;
  let at = first.length;
  const end = topic.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = topic.indexOf(parts[i]!, at);
    if (found < 0 || found + parts[i]!.length > end) return false;
    at = found + parts[i]!.length;
  }
  return true;
}
