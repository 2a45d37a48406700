import QlobberSub from 'qlobber/aedes/qlobber-sub';
import type { JournalBatch } from './journal-batch';
import type { MqttJournalEntry } from './mqtt-journal-reader';
import { OutgoingEntry } from './outgoing-entry';
import type { PersistedPacket, SubscriptionRecord } from './persisted-packet';
import type { SessionTimersRecord } from './session-timers-record';

export const QLOBBER_OPTIONS = { wildcard_one: '+', wildcard_some: '#', separator: '/' } as const;

/** Where outgoingUpdate lands: the entry whose messageId it sets, or the one the packet replaces. */
export interface OutgoingUpdateTarget {
  queue: OutgoingEntry[];
  index: number;
  replaces: boolean;
}

/**
 * The MQTT sessions' state in memory, changed only through these methods: the live calls (after
 * journalling) and journal replay run the same code, so replay rebuilds exactly what the calls built.
 * The semantics are aedes-persistence's in-memory reference implementation's, case for case.
 */
export class PersistenceState {
  /** topic → retained packet */
  readonly retained = new Map<string, PersistedPacket>();
  /** clientId → topic → subscription */
  readonly subscriptions = new Map<string, Map<string, SubscriptionRecord>>();
  /** QoS > 0 subscriptions only: what subscriptionsByTopic matches. */
  readonly trie = new QlobberSub(QLOBBER_OPTIONS);
  clientsCount = 0;
  /** clientId → queue, oldest first */
  readonly outgoing = new Map<string, OutgoingEntry[]>();
  /** clientId → messageId → packet (QoS 2 packets received, not yet released) */
  readonly incoming = new Map<string, Map<unknown, PersistedPacket>>();
  /** clientId → will */
  readonly wills = new Map<string, PersistedPacket>();
  /** clientId → an MQTT 5 session's expiry and delayed will */
  readonly sessionTimers = new Map<string, SessionTimersRecord>();
  /** Client ids of the persistent sessions, held or not: a session exists even when it holds nothing. */
  readonly persistentSessions = new Set<string>();

  storeRetained(packet: PersistedPacket): void {
    if (packet.payload === undefined || packet.payload.length === 0) this.retained.delete(packet.topic!);
    else this.retained.set(packet.topic!, packet);
  }

  addSubscriptions(clientId: string, subscriptions: ReadonlyArray<readonly [string, SubscriptionRecord]>): void {
    let stored = this.subscriptions.get(clientId);
    if (!stored) {
      stored = new Map();
      this.subscriptions.set(clientId, stored);
      this.clientsCount++;
    }
    for (const [topic, record] of subscriptions) {
      if (record.qos > 0) {
        this.trie.add(topic, { clientId, topic, qos: record.qos, rh: record.rh, rap: record.rap, nl: record.nl });
      } else if ((stored.get(topic)?.qos ?? 0) > 0) {
        this.trie.remove(topic, { clientId, topic });
      }
      stored.set(topic, record);
    }
  }

  removeSubscriptions(clientId: string, topics: readonly string[]): void {
    const stored = this.subscriptions.get(clientId);
    if (!stored) return;
    for (const topic of topics) {
      const record = stored.get(topic);
      if (record === undefined) continue;
      if (record.qos > 0) this.trie.remove(topic, { clientId, topic });
      stored.delete(topic);
    }
    if (stored.size === 0) {
      this.clientsCount--;
      this.subscriptions.delete(clientId);
    }
  }

  /** The session's subscriptions go, and the session with them (aedes calls this for a clean start). */
  cleanSubscriptions(clientId: string): void {
    this.persistentSessions.delete(clientId);
    const stored = this.subscriptions.get(clientId);
    if (!stored) return;
    for (const [topic, record] of stored) if (record.qos > 0) this.trie.remove(topic, { clientId, topic });
    this.clientsCount--;
    this.subscriptions.delete(clientId);
  }

  enqueue(clientIds: readonly string[], packet: PersistedPacket, batch: JournalBatch, position: number): void {
    for (const clientId of clientIds) {
      let queue = this.outgoing.get(clientId);
      if (!queue) {
        queue = [];
        this.outgoing.set(clientId, queue);
      }
      queue.push(new OutgoingEntry(packet.brokerId, packet.brokerCounter, packet.messageId, batch, position));
    }
  }

  /**
   * The reference's search: the first entry from the packet's broker with its counter (its
   * messageId is set), or the first from another broker with its messageId (replaced by the packet).
   */
  findUpdateTarget(clientId: string, brokerId: unknown, brokerCounter: unknown, messageId: unknown): OutgoingUpdateTarget | undefined {
    const queue = this.outgoing.get(clientId);
    if (!queue) return undefined;
    for (let index = 0; index < queue.length; index++) {
      const entry = queue[index]!;
      if (entry.brokerId === brokerId) {
        if (entry.brokerCounter === brokerCounter) return { queue, index, replaces: false };
      } else if (entry.messageId === messageId) {
        return { queue, index, replaces: true };
      }
    }
    return undefined;
  }

  updateMessageId(clientId: string, brokerId: unknown, brokerCounter: unknown, messageId: unknown): void {
    const target = this.findUpdateTarget(clientId, brokerId, brokerCounter, messageId);
    if (target && !target.replaces) target.queue[target.index]!.messageId = messageId;
  }

  replace(clientId: string, packet: PersistedPacket, batch: JournalBatch, position: number): void {
    const target = this.findUpdateTarget(clientId, packet.brokerId, packet.brokerCounter, packet.messageId);
    if (target?.replaces) {
      target.queue[target.index] = new OutgoingEntry(packet.brokerId, packet.brokerCounter, packet.messageId, batch, position);
    }
  }

  /** Removes and returns the first entry with the messageId. */
  clear(clientId: string, messageId: unknown): OutgoingEntry | undefined {
    const queue = this.outgoing.get(clientId);
    if (!queue) return undefined;
    const index = queue.findIndex((entry) => entry.messageId === messageId);
    if (index < 0) return undefined;
    const [entry] = queue.splice(index, 1);
    if (queue.length === 0) this.outgoing.delete(clientId);
    return entry;
  }

  /** Drops the entries whose packet was in a batch that never reached the journal. */
  dropEntriesOf(batch: JournalBatch): void {
    for (const [clientId, queue] of this.outgoing) {
      const kept = queue.filter((entry) => entry.batch !== batch);
      if (kept.length === queue.length) continue;
      if (kept.length === 0) this.outgoing.delete(clientId);
      else this.outgoing.set(clientId, kept);
    }
  }

  putIncoming(clientId: string, packet: PersistedPacket): void {
    let store = this.incoming.get(clientId);
    if (!store) {
      store = new Map();
      this.incoming.set(clientId, store);
    }
    store.set(packet.messageId, packet);
  }

  deleteIncoming(clientId: string, messageId: unknown): void {
    const store = this.incoming.get(clientId);
    if (!store) return;
    store.delete(messageId);
    if (store.size === 0) this.incoming.delete(clientId);
  }

  cleanIncoming(clientId: string): void {
    this.incoming.delete(clientId);
  }

  putWill(clientId: string, packet: PersistedPacket): void {
    this.wills.set(clientId, packet);
  }

  deleteWill(clientId: string): void {
    this.wills.delete(clientId);
  }

  setSessionTimers(clientId: string, record: SessionTimersRecord | undefined): void {
    if (record) this.sessionTimers.set(clientId, record);
    else this.sessionTimers.delete(clientId);
  }

  openSession(clientId: string): void {
    this.persistentSessions.add(clientId);
  }

  /** Replays one journal op; `batch` is the journal message it came from. */
  apply(entry: MqttJournalEntry, batch: JournalBatch): void {
    switch (entry.op) {
      case 'RETAIN':
        return this.storeRetained(entry.packet);
      case 'SUBSCRIBE':
        return this.addSubscriptions(entry.clientId, entry.subscriptions);
      case 'UNSUBSCRIBE':
        return this.removeSubscriptions(entry.clientId, entry.topics);
      case 'CLEAN_SUBS':
        return this.cleanSubscriptions(entry.clientId);
      case 'ENQUEUE':
        return this.enqueue(entry.clientIds, entry.packet, batch, entry.position);
      case 'UPDATE_ID':
        return this.updateMessageId(entry.clientId, entry.brokerId, entry.brokerCounter, entry.messageId);
      case 'REPLACE':
        return this.replace(entry.clientId, entry.packet, batch, entry.position);
      case 'CLEAR':
        this.clear(entry.clientId, entry.messageId);
        return;
      case 'INCOMING_PUT':
        return this.putIncoming(entry.clientId, entry.packet);
      case 'INCOMING_DEL':
        return this.deleteIncoming(entry.clientId, entry.messageId);
      case 'INCOMING_CLEAN':
        return this.cleanIncoming(entry.clientId);
      case 'WILL_PUT':
        return this.putWill(entry.clientId, entry.packet);
      case 'WILL_DEL':
        return this.deleteWill(entry.clientId);
      case 'SESSION_TIMERS':
        return this.setSessionTimers(entry.clientId, entry.record);
      case 'SESSION_OPEN':
        return this.openSession(entry.clientId);
    }
  }
}
