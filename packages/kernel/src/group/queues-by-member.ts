/** An allocation as member → ascending queue ids: how tests and logs read one at a glance. */
export function queuesByMember(allocation: ReadonlyMap<number, string>): Record<string, number[]> {
  const byMember: Record<string, number[]> = {};
  for (const [queueId, member] of allocation) (byMember[member] ??= []).push(queueId);
  for (const queueIds of Object.values(byMember)) queueIds.sort((a, b) => a - b);
  return byMember;
}
