import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { JournalBatch } from './journal-batch';
import type { PersistenceCheckpoint } from './persistence-checkpoint';
import type { PersistenceState } from './persistence-state';
import type { PersistedPacket, SubscriptionRecord } from './persisted-packet';
import type { SessionTimersRecord } from './session-timers-record';

type CapturedEntry = [brokerId: unknown, brokerCounter: unknown, messageId: unknown, batch: JournalBatch, position: number];
type SessionsValue = [
  PersistedPacket[],
  Array<[string, Array<[string, SubscriptionRecord]>]>,
  Array<[string, PersistedPacket[]]>,
  Array<[string, PersistedPacket]>,
  // Absent from checkpoints written before session timers were kept.
  Array<[string, SessionTimersRecord]>?,
  // Absent from checkpoints written before persistent sessions were kept on their own.
  string[]?,
];
type OutgoingValue = Array<[string, Array<[unknown, unknown, unknown, number, number]>]>;

/**
 * The state captured at one instant, turned into a checkpoint once the batches its outgoing
 * entries point at are appended (their journal offsets are known only then).
 */
export class StateSnapshot {
  private constructor(
    private readonly journalOffset: number,
    private readonly batchSeq: number,
    private readonly sessions: string,
    private readonly outgoing: Array<[string, CapturedEntry[]]>,
  ) {}

  /** Everything but the outgoing entries is encoded at once: aedes may change the packets it got back later. */
  static capture(state: PersistenceState, journalOffset: number, batchSeq: number): StateSnapshot {
    const sessions: SessionsValue = [
      [...state.retained.values()],
      [...state.subscriptions].map(([clientId, topics]) => [clientId, [...topics]]),
      [...state.incoming].map(([clientId, packets]) => [clientId, [...packets.values()]]),
      [...state.wills],
      [...state.sessionTimers],
      [...state.persistentSessions],
    ];
    const outgoing = [...state.outgoing].map(([clientId, queue]): [string, CapturedEntry[]] => [
      clientId,
      queue.map((entry): CapturedEntry => [entry.brokerId, entry.brokerCounter, entry.messageId, entry.batch, entry.position]),
    ]);
    return new StateSnapshot(journalOffset, batchSeq, encode(sessions), outgoing);
  }

  /** Waits for the captured entries' batches; entries of a batch whose append failed are left out (they were never acknowledged). */
  async toCheckpoint(): Promise<PersistenceCheckpoint> {
    const pending = new Set<JournalBatch>();
    for (const [, entries] of this.outgoing) for (const entry of entries) if (entry[3].offset < 0) pending.add(entry[3]);
    await Promise.allSettled([...pending].map((batch) => batch.settled));
    const outgoing: OutgoingValue = this.outgoing.map(([clientId, entries]) => [
      clientId,
      entries.filter(([, , , batch]) => !batch.failed).map(([brokerId, brokerCounter, messageId, batch, position]) => [brokerId, brokerCounter, messageId, batch.offset, position]),
    ]);
    return { version: 1, journalOffset: this.journalOffset, batchSeq: this.batchSeq, sessions: this.sessions, outgoing: encode(outgoing) };
  }

  /** Loads a checkpoint into an empty state. */
  static restore(state: PersistenceState, checkpoint: PersistenceCheckpoint): void {
    const [retained, subscriptions, incoming, wills, sessionTimers = [], persistentSessions = []] = decode(checkpoint.sessions) as SessionsValue;
    for (const packet of retained) state.storeRetained(packet);
    for (const [clientId, records] of subscriptions) state.addSubscriptions(clientId, records);
    for (const [clientId, packets] of incoming) for (const packet of packets) state.putIncoming(clientId, packet);
    for (const [clientId, packet] of wills) state.putWill(clientId, packet);
    for (const [clientId, record] of sessionTimers) state.setSessionTimers(clientId, record);
    for (const clientId of persistentSessions) state.openSession(clientId);
    const batches = new Map<number, JournalBatch>();
    for (const [clientId, entries] of decode(checkpoint.outgoing) as OutgoingValue) {
      for (const [brokerId, brokerCounter, messageId, offset, position] of entries) {
        let batch = batches.get(offset);
        if (!batch) {
          batch = JournalBatch.appendedAt(offset);
          batches.set(offset, batch);
        }
        state.enqueue([clientId], { brokerId, brokerCounter, messageId } as PersistedPacket, batch, position);
      }
    }
  }
}

function encode(value: unknown): string {
  const writer = new ByteWriter();
  writer.value(value);
  return writer.finish().toString('base64');
}

function decode(text: string): unknown {
  return new ByteReader(Buffer.from(text, 'base64')).value();
}
