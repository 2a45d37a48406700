/** One queue as the broker reports its owner. */
export interface OwnedQueue {
  queueId: number;
  owner?: string;
}

/**
 * True when the group's queues are all owned by live members and spread as evenly as they can
 * be: every live member owns ⌊n/m⌋ or ⌈n/m⌉ of them. That is the end of a rebalance, whichever
 * event started it (a newcomer owns its share; a departed member owns nothing).
 */
export function isBalancedOwnership(queues: readonly OwnedQueue[], queueCount: number, liveMembers: readonly string[]): boolean {
  if (queues.length !== queueCount || liveMembers.length === 0) return false;
  const owned = new Map<string, number>();
  for (const queue of queues) {
    if (queue.owner === undefined || !liveMembers.includes(queue.owner)) return false;
    owned.set(queue.owner, (owned.get(queue.owner) ?? 0) + 1);
  }
  const fewest = Math.floor(queueCount / liveMembers.length);
  const most = Math.ceil(queueCount / liveMembers.length);
  return liveMembers.every((member) => {
    const count = owned.get(member) ?? 0;
    return count >= fewest && count <= most;
  });
}
