import { ByteWriter } from './byte-writer';
import { MQTT_JOURNAL_VERSION, MqttJournalOp } from './mqtt-journal-format';
import type { PersistedPacket, SubscriptionRecord } from './persisted-packet';
import type { SessionTimersRecord } from './session-timers-record';

/**
 * Builds the body of one MQTT journal message (see mqtt-journal-format.ts). The methods that
 * write a packet return the byte position of its value, for reading it back later.
 */
export class MqttJournalWriter {
  private readonly bytes = new ByteWriter();

  constructor(readonly batchSeq: number) {
    this.bytes.byte(MQTT_JOURNAL_VERSION);
    this.bytes.varint(batchSeq);
  }

  retain(packet: PersistedPacket): void {
    this.bytes.byte(MqttJournalOp.RETAIN);
    this.bytes.value(packet);
  }

  subscribe(clientId: string, subscriptions: ReadonlyArray<readonly [string, SubscriptionRecord]>): void {
    this.bytes.byte(MqttJournalOp.SUBSCRIBE);
    this.bytes.string(clientId);
    this.bytes.varint(subscriptions.length);
    for (const [topic, record] of subscriptions) {
      this.bytes.string(topic);
      this.bytes.value(record);
    }
  }

  unsubscribe(clientId: string, topics: readonly string[]): void {
    this.bytes.byte(MqttJournalOp.UNSUBSCRIBE);
    this.bytes.string(clientId);
    this.bytes.varint(topics.length);
    for (const topic of topics) this.bytes.string(topic);
  }

  cleanSubscriptions(clientId: string): void {
    this.clientOp(MqttJournalOp.CLEAN_SUBS, clientId);
  }

  enqueue(clientIds: readonly string[], packet: PersistedPacket): number {
    this.bytes.byte(MqttJournalOp.ENQUEUE);
    this.bytes.varint(clientIds.length);
    for (const clientId of clientIds) this.bytes.string(clientId);
    const position = this.bytes.position;
    this.bytes.value(packet);
    return position;
  }

  updateMessageId(clientId: string, brokerId: unknown, brokerCounter: unknown, messageId: unknown): void {
    this.clientOp(MqttJournalOp.UPDATE_ID, clientId);
    this.bytes.value(brokerId);
    this.bytes.value(brokerCounter);
    this.bytes.value(messageId);
  }

  replace(clientId: string, packet: PersistedPacket): number {
    this.clientOp(MqttJournalOp.REPLACE, clientId);
    const position = this.bytes.position;
    this.bytes.value(packet);
    return position;
  }

  clear(clientId: string, messageId: unknown): void {
    this.clientOp(MqttJournalOp.CLEAR, clientId);
    this.bytes.value(messageId);
  }

  putIncoming(clientId: string, packet: PersistedPacket): void {
    this.clientOp(MqttJournalOp.INCOMING_PUT, clientId);
    this.bytes.value(packet);
  }

  deleteIncoming(clientId: string, messageId: unknown): void {
    this.clientOp(MqttJournalOp.INCOMING_DEL, clientId);
    this.bytes.value(messageId);
  }

  cleanIncoming(clientId: string): void {
    this.clientOp(MqttJournalOp.INCOMING_CLEAN, clientId);
  }

  putWill(clientId: string, packet: PersistedPacket): void {
    this.clientOp(MqttJournalOp.WILL_PUT, clientId);
    this.bytes.value(packet);
  }

  deleteWill(clientId: string): void {
    this.clientOp(MqttJournalOp.WILL_DEL, clientId);
  }

  sessionTimers(clientId: string, record: SessionTimersRecord | undefined): void {
    this.clientOp(MqttJournalOp.SESSION_TIMERS, clientId);
    this.bytes.value(record);
  }

  sessionOpened(clientId: string): void {
    this.clientOp(MqttJournalOp.SESSION_OPEN, clientId);
  }

  /** Where the next op will begin, to roll back to if writing it fails midway. */
  mark(): number {
    return this.bytes.position;
  }

  rollback(mark: number): void {
    this.bytes.truncate(mark);
  }

  /** The message body; the writer must not be used afterwards. */
  finish(): Buffer {
    return this.bytes.finish();
  }

  private clientOp(op: number, clientId: string): void {
    this.bytes.byte(op);
    this.bytes.string(clientId);
  }
}
