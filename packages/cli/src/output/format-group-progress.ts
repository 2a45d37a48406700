import type { WireQueueProgress } from '@tessera/client';

/** `group progress`: per queue the committed and max offsets, lag and owner, then the total lag. */
export function formatGroupProgress(queues: readonly WireQueueProgress[]): string[] {
  const lines = queues.map((queue) =>
    [
      queue.topic,
      `queue ${queue.queueId}`,
      `committed=${queue.committedOffset ?? '-'}`,
      `max=${queue.maxOffset}`,
      `lag=${queue.lag}`,
      `owner=${queue.owner ?? '-'}`,
    ].join('\t'),
  );
  lines.push(`total lag=${totalLag(queues)}`);
  return lines;
}

export function totalLag(queues: readonly WireQueueProgress[]): number {
  return queues.reduce((sum, queue) => sum + queue.lag, 0);
}
