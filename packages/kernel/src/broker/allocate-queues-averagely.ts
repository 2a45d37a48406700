/**
 * RocketMQ's average allocation: queues split into contiguous runs, the first `queues % members`
 * members getting one more. Every member computes the same answer from the same sorted inputs.
 */
export function allocateQueuesAveragely(queueIds: readonly number[], memberIds: readonly string[], memberId: string): number[] {
  const index = memberIds.indexOf(memberId);
  if (index < 0 || queueIds.length === 0) return [];
  const memberCount = memberIds.length;
  const base = Math.floor(queueIds.length / memberCount);
  const extra = queueIds.length % memberCount;
  const start = index * base + Math.min(index, extra);
  const size = base + (index < extra ? 1 : 0);
  return queueIds.slice(start, start + size);
}
