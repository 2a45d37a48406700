import type { Logger } from '../logging/logger';
import type { StorageEngine } from '../storage/storage-engine';
import type { PeriodicCheckpoint } from '../storage/periodic-checkpoint';
import type { SystemTopicJournal } from '../storage/system-topic-journal';
import type { PopCheckpoint } from './pop-checkpoint';
import { PopJournalReader } from './pop-journal-reader';
import type { PopState } from './pop-state';

export interface PopRecoverySources {
  state: PopState;
  checkpointer: PeriodicCheckpoint<PopCheckpoint>;
  journal: SystemTopicJournal;
  storage: StorageEngine;
  logger: Logger;
}

/**
 * Rebuilds the per-message-ack state at start: the checkpoint (cut back to the log where the log
 * lost records it saw), then the journal after it; leases that expired meanwhile are due at once.
 */
export async function recoverPopState({ state, checkpointer, journal, storage, logger }: PopRecoverySources, startedAt: number): Promise<void> {
  const checkpoint = checkpointer.load();
  const queueEnd = (topic: string, queueId: number) => storage.queueRange(topic, queueId).maxOffset;
  const cutBack = checkpoint ? state.restore(checkpoint, startedAt, queueEnd) : 0;
  let replayFrom = checkpoint?.journalOffset ?? 0;
  if (cutBack > 0 || replayFrom > journal.endOffset) {
    logger.warn(
      { queues: cutBack, checkpointJournalOffset: replayFrom, journalEnd: journal.endOffset },
      'the per-message-ack checkpoint saw records the log lost (unsynced at a power loss): cut back to the log',
    );
    replayFrom = Math.min(replayFrom, journal.endOffset);
    checkpointer.markChanged();
  }
  let corrupt = 0;
  const replayed = await journal.replay(replayFrom, (body, offset) => {
    try {
      state.replay(new PopJournalReader(body), startedAt);
    } catch (error) {
      corrupt++;
      logger.warn({ err: error, journalOffset: offset }, 'skipped an unreadable pop journal message');
    }
  });
  if (checkpoint && replayed.from > checkpoint.journalOffset) {
    logger.warn({ checkpoint: checkpoint.journalOffset, from: replayed.from }, 'retention deleted pop journal messages the checkpoint did not hold');
  }
  logger.info(
    { journalFrom: replayed.from, journalTo: replayed.to, corrupt, consumers: state.inflight.size, ms: Date.now() - startedAt },
    'per-message-ack state recovered',
  );
}
