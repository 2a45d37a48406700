import type { StoredMessage } from '../message/stored-message';
import type { StorageEngine } from '../storage/storage-engine';
import type { PendingMessage } from './pop-queue-state';

/** Redeliveries are bounded by count; their size is the consumer's budget's business. */
const UNBOUNDED_BYTES = Number.MAX_SAFE_INTEGER;

/**
 * The messages at the pending offsets of one topic, in the same order; undefined where the log no
 * longer holds one. Adjacent offsets of a queue are read together, the runs in parallel.
 */
export async function readPendingMessages(
  storage: StorageEngine,
  topic: string,
  entries: readonly PendingMessage[],
): Promise<Array<StoredMessage | undefined>> {
  const order = entries
    .map((_, i) => i)
    .sort((a, b) => entries[a]!.queue.queueId - entries[b]!.queue.queueId || entries[a]!.offset - entries[b]!.offset);
  const found = new Array<StoredMessage | undefined>(entries.length);
  const reads: Array<Promise<void>> = [];
  for (let runStart = 0; runStart < order.length; ) {
    const first = entries[order[runStart]!]!;
    let runEnd = runStart + 1;
    while (runEnd < order.length) {
      const next = entries[order[runEnd]!]!;
      if (next.queue !== first.queue || next.offset !== first.offset + (runEnd - runStart)) break;
      runEnd++;
    }
    const run = order.slice(runStart, runEnd);
    const { queueId } = first.queue;
    const read = storage.read({ topic, queueId, offset: first.offset, maxCount: run.length, maxBytes: UNBOUNDED_BYTES });
    reads.push(
      read.then(({ messages }) => {
        for (const message of messages) {
          const index = message.queueOffset - first.offset;
          if (index >= 0 && index < run.length) found[run[index]!] = message;
        }
      }),
    );
    runStart = runEnd;
  }
  await Promise.all(reads);
  return found;
}
