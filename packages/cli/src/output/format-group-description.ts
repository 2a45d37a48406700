import type { DescribeGroupResponse } from '@tessera/client';

/** `group describe`: the group's members (model, allocation strategy, topics, last heartbeat), then who owns each queue. */
export function formatGroupDescription(group: string, description: DescribeGroupResponse): string[] {
  const lines = [`${group}\tmembers=${description.members.length}`];
  for (const member of description.members) {
    lines.push(
      [
        `  member ${member.clientId}`,
        `model=${member.messageModel}`,
        `strategy=${member.allocationStrategy ?? '-'}`,
        `topics=${member.topics.join(',')}`,
        `lastHeartbeat=${new Date(member.lastHeartbeatAt).toISOString()}`,
      ].join('\t'),
    );
  }
  for (const queue of description.queues) lines.push(`  ${queue.topic}\tqueue ${queue.queueId}\towner=${queue.owner ?? '-'}`);
  return lines;
}
