import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PeriodicCheckpoint, SystemTopicJournal, type Broker, type Logger } from '@tessera/kernel';
import { QlobberTrue } from 'qlobber';
import { JournalBatch } from './journal-batch';
import { JournalBatcher } from './journal-batcher';
import { MQTT_JOURNAL_TOPIC } from './mqtt-journal-topic';
import { MqttJournalReader, type MqttJournalEntry } from './mqtt-journal-reader';
import type { MqttJournalWriter } from './mqtt-journal-writer';
import type { OutgoingEntry } from './outgoing-entry';
import { PacketCache } from './packet-cache';
import type { PersistenceCheckpoint } from './persistence-checkpoint';
import { PersistenceState, QLOBBER_OPTIONS } from './persistence-state';
import type { PersistedPacket, SubscriptionRecord } from './persisted-packet';
import { queuedPacket } from './queued-packet';
import type { SessionTimersRecord } from './session-timers-record';
import { StateSnapshot } from './state-snapshot';

export interface TesseraPersistenceOptions {
  /** The kernel facade; the journal is its system topic %SYS%MQTT_PERSISTENCE. */
  broker: Broker;
  logger: Logger;
  /** The checkpoint goes to `<dataDir>/mqtt/persistence-state.json`. Default: the broker's dataDir. */
  dataDir?: string;
  /** How often the state is checkpointed when it changed. Default 5000. */
  checkpointIntervalMs?: number;
  /**
   * Bytes of queued outgoing packets kept in memory (default 64 MiB); older ones are read back
   * from the journal when a session's queue is streamed.
   */
  outgoingCacheBytes?: number;
}

/** What aedes passes to setup(): the persistence reads its id when storing a will. */
export interface AedesIdentity {
  id: string;
}

export interface MqttClientRef {
  id: string;
}

export interface MqttSubscription {
  topic: string;
  qos: number;
  rh?: number;
  rap?: boolean;
  nl?: boolean;
  subscriptionIdentifier?: number;
}

const DEFAULT_CHECKPOINT_INTERVAL_MS = 5000;
const DEFAULT_OUTGOING_CACHE_BYTES = 64 * 1024 * 1024;
/** How often retained messages past their Message Expiry are deleted, when no subscribe came across them first. */
const RETAINED_SWEEP_INTERVAL_MS = 60_000;

/**
 * aedes-persistence 11's interface on Tessera's log. State lives in memory (as in the reference
 * implementation, whose semantics this follows case for case) except queued outgoing packets,
 * which stay in the journal beyond a cache budget. Every mutation is journalled before its promise
 * resolves; the mutations of one event-loop turn share one journal message. `open()` recovers
 * (checkpoint, then the journal after it) and must finish before aedes starts.
 */
export class TesseraPersistence {
  private readonly state = new PersistenceState();
  /** Retained `$SYS/…` messages (the broker's status), by topic. */
  private readonly sysRetained = new Map<string, PersistedPacket>();
  private readonly journal: SystemTopicJournal;
  private readonly batcher: JournalBatcher;
  private readonly cache: PacketCache;
  private readonly checkpointer: PeriodicCheckpoint<PersistenceCheckpoint>;
  private readonly logger: Logger;
  private readonly checkpointIntervalMs: number;
  private aedes: AedesIdentity | undefined;
  private retainedSweep: NodeJS.Timeout | undefined;
  private phase: 'new' | 'opening' | 'open' | 'destroyed' = 'new';

  constructor(options: TesseraPersistenceOptions) {
    this.logger = options.logger;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    this.journal = new SystemTopicJournal(options.broker, MQTT_JOURNAL_TOPIC);
    this.cache = new PacketCache(options.outgoingCacheBytes ?? DEFAULT_OUTGOING_CACHE_BYTES);
    this.batcher = new JournalBatcher(
      this.journal,
      0,
      () => this.cache.evict(),
      (batch, error) => this.onAppendFailed(batch, error),
    );
    this.checkpointer = new PeriodicCheckpoint<PersistenceCheckpoint>({
      file: join(options.dataDir ?? options.broker.settings.dataDir, 'mqtt', 'persistence-state.json'),
      what: 'MQTT persistence',
      logger: this.logger,
      progress: () => this.batcher.lastSeq,
      progressOf: (checkpoint) => checkpoint.batchSeq,
      capture: (batchSeq) => StateSnapshot.capture(this.state, this.journal.endOffset, batchSeq!).toCheckpoint(),
    });
  }

  /** The aedes instance setup() was given. */
  get broker(): AedesIdentity | undefined {
    return this.aedes;
  }

  /** Loads the checkpoint and replays the journal after it. */
  async open(): Promise<void> {
    if (this.phase !== 'new') throw new Error('the MQTT persistence was opened already');
    this.phase = 'opening';
    const startedAt = Date.now();
    const checkpoint = this.checkpointer.load();
    if (checkpoint) StateSnapshot.restore(this.state, checkpoint);
    const coveredSeq = checkpoint?.batchSeq ?? 0;
    let lastSeq = coveredSeq;
    let corrupt = 0;
    const replayed = await this.journal.replay(checkpoint?.journalOffset ?? 0, (body, offset) => {
      try {
        const reader = new MqttJournalReader(body);
        if (reader.batchSeq <= coveredSeq) return;
        // Read every op before applying any, so an unreadable message changes nothing.
        const entries: MqttJournalEntry[] = [];
        for (let entry = reader.next(); entry; entry = reader.next()) entries.push(entry);
        const batch = JournalBatch.appendedAt(offset);
        for (const entry of entries) this.state.apply(entry, batch);
        lastSeq = Math.max(lastSeq, reader.batchSeq);
      } catch (error) {
        corrupt++;
        this.logger.warn({ err: error, journalOffset: offset }, 'skipped an unreadable MQTT journal message');
      }
    });
    if (replayed.from > (checkpoint?.journalOffset ?? 0)) {
      this.logger.warn(
        { checkpoint: checkpoint?.journalOffset ?? 0, from: replayed.from },
        'retention deleted MQTT journal messages the checkpoint did not hold',
      );
    }
    this.batcher.lastSeq = lastSeq;
    this.checkpointer.start(this.checkpointIntervalMs);
    this.phase = 'open';
    this.retainedSweep = setInterval(() => void this.sweepExpiredRetained(), RETAINED_SWEEP_INTERVAL_MS);
    this.retainedSweep.unref();
    this.logger.info(
      {
        journalFrom: replayed.from,
        journalTo: replayed.to,
        corrupt,
        retained: this.state.retained.size,
        sessions: this.state.subscriptions.size,
        queues: this.state.outgoing.size,
        ms: Date.now() - startedAt,
      },
      'MQTT persistence recovered',
    );
  }

  async setup(broker: AedesIdentity): Promise<void> {
    this.aedes = broker;
  }

  /** Appends what is batched, waits for the journal, writes a last checkpoint. Leaves the kernel running. */
  async destroy(): Promise<void> {
    if (this.phase === 'destroyed') throw new Error('destroyed called twice!');
    this.phase = 'destroyed';
    clearInterval(this.retainedSweep);
    this.batcher.flush();
    await this.batcher.settled();
    await this.checkpointer.stop();
  }

  storeRetained(packet: PersistedPacket): Promise<void> {
    const stored = { ...packet };
    if (isSysTopic(stored.topic!)) {
      this.storeSysRetained(stored);
      return Promise.resolve();
    }
    return this.mutate((writer) => {
      writer.retain(stored);
      this.state.storeRetained(stored);
    });
  }

  createRetainedStream(pattern: string): Readable {
    return Readable.from(this.retainedMatching([pattern]));
  }

  createRetainedStreamCombi(patterns: readonly string[]): Readable {
    return Readable.from(this.retainedMatching(patterns));
  }

  addSubscriptions(client: MqttClientRef, subscriptions: readonly MqttSubscription[]): Promise<void> {
    const records = subscriptions.map((sub): [string, SubscriptionRecord] => [sub.topic, subscriptionRecord(sub)]);
    return this.mutate((writer) => {
      writer.subscribe(client.id, records);
      this.state.addSubscriptions(client.id, records);
    });
  }

  removeSubscriptions(client: MqttClientRef, topics: readonly string[]): Promise<void> {
    if (!this.state.subscriptions.has(client.id)) return Promise.resolve();
    return this.mutate((writer) => {
      writer.unsubscribe(client.id, topics);
      this.state.removeSubscriptions(client.id, topics);
    });
  }

  async subscriptionsByClient(client: MqttClientRef): Promise<Array<{ topic: string } & SubscriptionRecord>> {
    const stored = this.state.subscriptions.get(client.id);
    return stored ? [...stored].map(([topic, record]) => ({ topic, ...record })) : [];
  }

  /** Every session's stored subscriptions to a filter starting with `prefix` (shared subscriptions restore their groups from them). */
  storedSubscriptions(prefix: string): Array<{ clientId: string; topic: string; qos: number }> {
    const found: Array<{ clientId: string; topic: string; qos: number }> = [];
    for (const [clientId, topics] of this.state.subscriptions) {
      for (const [topic, record] of topics) if (topic.startsWith(prefix)) found.push({ clientId, topic, qos: record.qos });
    }
    return found;
  }

  /**
   * Whether the persistent session `clientId` exists: recorded when it began, or (journals written
   * before sessions were recorded) holding subscriptions, queued or inflight messages, QoS 2 ids awaiting PUBREL.
   */
  holdsSessionState(clientId: string): boolean {
    const { state } = this;
    return state.persistentSessions.has(clientId) || state.subscriptions.has(clientId) || state.outgoing.has(clientId) || state.incoming.has(clientId);
  }

  /** The persistent sessions of clients not connected now (`connected` tells). */
  offlineSessionCount(connected: (clientId: string) => boolean): number {
    const { state } = this;
    let count = 0;
    for (const clientId of state.persistentSessions) if (!connected(clientId)) count++;
    for (const clientId of state.subscriptions.keys()) if (!state.persistentSessions.has(clientId) && !connected(clientId)) count++;
    return count;
  }

  /** Records that the persistent session `clientId` exists, until a clean start ends it (once: a resumed one is recorded already). */
  openSession(clientId: string): Promise<void> {
    if (this.state.persistentSessions.has(clientId)) return Promise.resolve();
    return this.mutate((writer) => {
      writer.sessionOpened(clientId);
      this.state.openSession(clientId);
    });
  }

  /** Whether the session `clientId` has a stored subscription to exactly `topic`. */
  hasSubscription(clientId: string, topic: string): boolean {
    return this.state.subscriptions.get(clientId)?.has(topic) === true;
  }

  /** Subscriptions stored, over every session. */
  subscriptionCount(): number {
    let count = 0;
    for (const topics of this.state.subscriptions.values()) count += topics.size;
    return count;
  }

  async countOffline(): Promise<{ subsCount: number; clientsCount: number }> {
    return { subsCount: this.state.trie.subscriptionsCount, clientsCount: this.state.clientsCount };
  }

  async subscriptionsByTopic(topic: string): Promise<Array<Record<string, unknown>>> {
    return this.state.trie.match(topic);
  }

  cleanSubscriptions(client: MqttClientRef): Promise<void> {
    if (!this.state.subscriptions.has(client.id) && !this.state.persistentSessions.has(client.id)) return Promise.resolve();
    return this.mutate((writer) => {
      writer.cleanSubscriptions(client.id);
      this.state.cleanSubscriptions(client.id);
    });
  }

  outgoingEnqueue(subscription: { clientId: string }, packet: PersistedPacket): Promise<void> {
    return this.outgoingEnqueueCombi([subscription], packet);
  }

  outgoingEnqueueCombi(subscriptions: ReadonlyArray<{ clientId: string }>, packet: PersistedPacket): Promise<void> {
    if (subscriptions.length === 0) return Promise.resolve();
    const queued = queuedPacket(packet);
    const clientIds = subscriptions.map((sub) => sub.clientId);
    return this.mutate((writer, batch) => {
      const position = writer.enqueue(clientIds, queued);
      this.state.enqueue(clientIds, queued, batch, position);
      this.cache.add(batch, position, queued);
    });
  }

  /** Sets the messageId of the queued packet from the same broker, or replaces the one from another with that messageId (a PUBREL). */
  outgoingUpdate(client: MqttClientRef, packet: PersistedPacket): Promise<void> {
    const { brokerId, brokerCounter, messageId } = packet;
    const target = this.state.findUpdateTarget(client.id, brokerId, brokerCounter, messageId);
    if (!target) return Promise.reject(new Error('no such packet'));
    if (!target.replaces) {
      return this.mutate((writer) => {
        writer.updateMessageId(client.id, brokerId, brokerCounter, messageId);
        this.state.updateMessageId(client.id, brokerId, brokerCounter, messageId);
      });
    }
    return this.mutate((writer, batch) => {
      const position = writer.replace(client.id, packet);
      this.state.replace(client.id, packet, batch, position);
    });
  }

  /** Removes the first queued packet with the messageId and returns it; resolves undefined when none has it. */
  async outgoingClearMessageId(client: MqttClientRef, packet: PersistedPacket): Promise<PersistedPacket | undefined> {
    const messageId = (packet as PersistedPacket | undefined)?.messageId;
    if (!this.state.outgoing.get(client.id)?.some((entry) => entry.messageId === messageId)) return undefined;
    let cleared: OutgoingEntry | undefined;
    await this.mutate((writer) => {
      writer.clear(client.id, messageId);
      cleared = this.state.clear(client.id, messageId);
    });
    return this.packetOf(cleared!, new JournalReadCache());
  }

  outgoingStream(client: MqttClientRef): Readable {
    return Readable.from(this.queuedPackets(client.id, [...(this.state.outgoing.get(client.id) ?? [])]));
  }

  incomingStorePacket(client: MqttClientRef, packet: PersistedPacket): Promise<void> {
    const stored = queuedPacket(packet);
    stored.messageId = packet.messageId;
    return this.mutate((writer) => {
      writer.putIncoming(client.id, stored);
      this.state.putIncoming(client.id, stored);
    });
  }

  /**
   * Whether the client's QoS 2 message with this packet id was received and awaits its PUBREL: a
   * PUBLISH with that id is then the same message again (MQTT 3.1.1 4.3.3, MQTT 5 4.3.3-9).
   * incomingGetPacket answers the same for aedes, but by rejecting, with an Error, for every new one.
   */
  awaitsPubrel(clientId: string, messageId: number | undefined): boolean {
    return this.state.incoming.get(clientId)?.has(messageId) ?? false;
  }

  async incomingGetPacket(client: MqttClientRef, packet: PersistedPacket): Promise<PersistedPacket> {
    const stored = this.state.incoming.get(client.id)?.get(packet.messageId);
    if (!stored) throw new Error('no such packet');
    return stored;
  }

  incomingDelPacket(client: MqttClientRef, packet: PersistedPacket): Promise<void> {
    const { messageId } = packet;
    if (!this.state.incoming.get(client.id)?.has(messageId)) return Promise.reject(new Error('no such packet'));
    return this.mutate((writer) => {
      writer.deleteIncoming(client.id, messageId);
      this.state.deleteIncoming(client.id, messageId);
    });
  }

  cleanIncoming(client: MqttClientRef): Promise<void> {
    if (!this.state.incoming.has(client.id)) return Promise.resolve();
    return this.mutate((writer) => {
      writer.cleanIncoming(client.id);
      this.state.cleanIncoming(client.id);
    });
  }

  /** Stores the will, stamped (like the reference does, on the packet given) with this broker's id and the client's. */
  putWill(client: MqttClientRef, packet: PersistedPacket): Promise<void> {
    packet.brokerId = this.aedes?.id;
    packet.clientId = client.id;
    return this.mutate((writer) => {
      writer.putWill(client.id, packet);
      this.state.putWill(client.id, packet);
    });
  }

  async getWill(client: MqttClientRef): Promise<PersistedPacket | undefined> {
    return this.state.wills.get(client.id);
  }

  async delWill(client: MqttClientRef): Promise<PersistedPacket | undefined> {
    const will = this.state.wills.get(client.id);
    if (!will) return undefined;
    await this.mutate((writer) => {
      writer.deleteWill(client.id);
      this.state.deleteWill(client.id);
    });
    return will;
  }

  /** Keeps (or with undefined, forgets) an MQTT 5 session's expiry and delayed will, for after a restart. */
  putSessionTimers(clientId: string, record: SessionTimersRecord | undefined): Promise<void> {
    if (!record && !this.state.sessionTimers.has(clientId)) return Promise.resolve();
    const stored = record && { ...record };
    return this.mutate((writer) => {
      writer.sessionTimers(clientId, stored);
      this.state.setSessionTimers(clientId, stored);
    });
  }

  /** Every kept session timers record, by client id. */
  storedSessionTimers(): Array<[string, SessionTimersRecord]> {
    return [...this.state.sessionTimers].map(([clientId, record]) => [clientId, { ...record }]);
  }

  /** The wills of clients of brokers not in `brokers` (brokers that died). */
  streamWill(brokers: Readonly<Record<string, unknown>> = {}): Readable {
    return Readable.from([...this.state.wills.values()].filter((will) => !brokers[will.brokerId!]));
  }

  /** Ids of the clients with a stored subscription to exactly `topic`. */
  getClientList(topic: string): Readable {
    return Readable.from([...this.state.subscriptions].filter(([, topics]) => topics.has(topic)).map(([clientId]) => clientId));
  }

  /**
   * Writes the mutation's journal op and applies it, in the batch of this turn; resolves when that
   * batch is durable. An op that cannot be encoded is refused before anything changes.
   */
  private mutate(change: (writer: MqttJournalWriter, batch: JournalBatch) => void): Promise<void> {
    if (this.phase !== 'open') return Promise.reject(new Error(`the MQTT persistence is not open (${this.phase})`));
    const { writer, batch } = this.batcher.current();
    const mark = writer.mark();
    try {
      change(writer, batch);
    } catch (error) {
      writer.rollback(mark);
      return Promise.reject(error);
    }
    return batch.settled;
  }

  /** The broker's status (`$SYS/…`) is republished at every start: kept in memory, not journalled. */
  private storeSysRetained(packet: PersistedPacket): void {
    if (packet.payload === undefined || packet.payload.length === 0) this.sysRetained.delete(packet.topic!);
    else this.sysRetained.set(packet.topic!, packet);
  }

  /**
   * An MQTT 5 retained message found past its Message Expiry is left out, and deleted. A filter
   * beginning with a wildcard matches no `$` topic (MQTT 4.7.2).
   */
  private *retainedMatching(patterns: readonly string[]): Generator<PersistedPacket> {
    const now = Date.now();
    for (const pattern of patterns) {
      const matcher = new QlobberTrue(QLOBBER_OPTIONS);
      matcher.add(pattern);
      const matchesDollarTopics = !/^[+#]/.test(pattern);
      if (matchesDollarTopics) for (const [topic, packet] of this.sysRetained) if (matcher.test(topic)) yield packet;
      for (const [topic, packet] of this.state.retained) {
        if (!matcher.test(topic) || (!matchesDollarTopics && topic.startsWith('$'))) continue;
        if (typeof packet.messageExpiry === 'number' && packet.messageExpiry <= now) void this.deleteRetained(packet);
        else yield packet;
      }
    }
  }

  /**
   * Deletes the retained messages past their MQTT 5 Message Expiry, so none outlives its expiry by
   * more than a sweep interval; resolves to how many, once their deletions are journalled.
   */
  async sweepExpiredRetained(now = Date.now()): Promise<number> {
    const deletions: Array<Promise<void>> = [];
    for (const packet of this.state.retained.values()) {
      if (typeof packet.messageExpiry === 'number' && packet.messageExpiry <= now) deletions.push(this.deleteRetained(packet));
    }
    await Promise.all(deletions);
    return deletions.length;
  }

  /** Deletes the retained message `packet`, unless another took its place meanwhile. */
  private deleteRetained(packet: PersistedPacket): Promise<void> {
    const topic = packet.topic!;
    if (this.state.retained.get(topic) !== packet) return Promise.resolve();
    const deletion: PersistedPacket = { cmd: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: true };
    return this.mutate((writer) => {
      writer.retain(deletion);
      this.state.storeRetained(deletion);
    }).catch((error: unknown) => this.logger.warn({ err: error, topic }, 'deleting an expired retained MQTT message failed'));
  }

  private async *queuedPackets(clientId: string, entries: readonly OutgoingEntry[]): AsyncGenerator<PersistedPacket> {
    const reads = new JournalReadCache();
    for (const entry of entries) {
      const packet = await this.packetOf(entry, reads);
      if (packet) yield packet;
      else this.logger.warn({ clientId, journalOffset: entry.batch.offset }, 'retention deleted a queued MQTT packet; it is skipped');
    }
  }

  /** A fresh copy of the entry's packet with its current messageId: from the cache, else from the journal. */
  private async packetOf(entry: OutgoingEntry, reads: JournalReadCache): Promise<PersistedPacket | undefined> {
    let packet = entry.batch.packets?.get(entry.position);
    if (!packet) {
      await entry.batch.settled;
      packet = entry.batch.packets?.get(entry.position);
    }
    if (!packet) {
      const body = await reads.read(this.journal, entry.batch.offset);
      if (!body) return undefined;
      packet = MqttJournalReader.packetAt(body, entry.position);
    }
    const copy = { ...packet };
    if ('messageId' in copy || entry.messageId !== undefined) copy.messageId = entry.messageId as number | undefined;
    return copy;
  }

  private onAppendFailed(batch: JournalBatch, error: unknown): void {
    this.cache.remove(batch);
    this.state.dropEntriesOf(batch);
    this.logger.error({ err: error, batchSeq: batch.seq }, 'appending to the MQTT journal failed; checkpointing the state in memory');
    this.checkpointer.writeInBackground();
  }
}

/** The last journal message read, for the run of queued packets that came in the same batch. */
class JournalReadCache {
  private offset = -1;
  private body: Buffer | undefined;

  async read(journal: SystemTopicJournal, offset: number): Promise<Buffer | undefined> {
    if (offset !== this.offset) {
      this.body = await journal.read(offset);
      this.offset = offset;
    }
    return this.body;
  }
}

/** The reference keeps exactly these fields, the identifier only when given. */
function subscriptionRecord(sub: MqttSubscription): SubscriptionRecord {
  const record: SubscriptionRecord = { qos: sub.qos, rh: sub.rh, rap: sub.rap, nl: sub.nl };
  if (sub.subscriptionIdentifier !== undefined) record.subscriptionIdentifier = sub.subscriptionIdentifier;
  return record;
}

function isSysTopic(topic: string): boolean {
  return topic.startsWith('$SYS/');
}
