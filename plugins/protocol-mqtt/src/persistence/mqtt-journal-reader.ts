import { ByteReader } from './byte-reader';
import { MQTT_JOURNAL_VERSION, MqttJournalOp } from './mqtt-journal-format';
import type { PersistedPacket, SubscriptionRecord } from './persisted-packet';
import type { SessionTimersRecord } from './session-timers-record';

export type MqttJournalEntry =
  | { op: 'RETAIN'; packet: PersistedPacket }
  | { op: 'SUBSCRIBE'; clientId: string; subscriptions: Array<[string, SubscriptionRecord]> }
  | { op: 'UNSUBSCRIBE'; clientId: string; topics: string[] }
  | { op: 'CLEAN_SUBS'; clientId: string }
  | { op: 'ENQUEUE'; clientIds: string[]; packet: PersistedPacket; position: number }
  | { op: 'UPDATE_ID'; clientId: string; brokerId: unknown; brokerCounter: unknown; messageId: unknown }
  | { op: 'REPLACE'; clientId: string; packet: PersistedPacket; position: number }
  | { op: 'CLEAR'; clientId: string; messageId: unknown }
  | { op: 'INCOMING_PUT'; clientId: string; packet: PersistedPacket }
  | { op: 'INCOMING_DEL'; clientId: string; messageId: unknown }
  | { op: 'INCOMING_CLEAN'; clientId: string }
  | { op: 'WILL_PUT'; clientId: string; packet: PersistedPacket }
  | { op: 'WILL_DEL'; clientId: string }
  | { op: 'SESSION_TIMERS'; clientId: string; record: SessionTimersRecord | undefined }
  | { op: 'SESSION_OPEN'; clientId: string };

/** Reads one MQTT journal message (see mqtt-journal-format.ts) op by op; throws on a body it cannot read. */
export class MqttJournalReader {
  readonly batchSeq: number;
  private readonly bytes: ByteReader;

  constructor(body: Buffer) {
    this.bytes = new ByteReader(body);
    const version = this.bytes.byte();
    if (version !== MQTT_JOURNAL_VERSION) throw new Error(`unknown mqtt journal version ${version}`);
    this.batchSeq = this.bytes.varint();
  }

  /** The packet value written at `position` of `body` (a position an enqueue or replace returned). */
  static packetAt(body: Buffer, position: number): PersistedPacket {
    return new ByteReader(body, position).value() as PersistedPacket;
  }

  /** The next op, or undefined at the end of the body. */
  next(): MqttJournalEntry | undefined {
    if (this.bytes.atEnd) return undefined;
    const op = this.bytes.byte();
    switch (op) {
      case MqttJournalOp.RETAIN:
        return { op: 'RETAIN', packet: this.packet() };
      case MqttJournalOp.SUBSCRIBE: {
        const clientId = this.bytes.string();
        const subscriptions: Array<[string, SubscriptionRecord]> = new Array(this.bytes.varint());
        for (let i = 0; i < subscriptions.length; i++) subscriptions[i] = [this.bytes.string(), this.bytes.value() as SubscriptionRecord];
        return { op: 'SUBSCRIBE', clientId, subscriptions };
      }
      case MqttJournalOp.UNSUBSCRIBE: {
        const clientId = this.bytes.string();
        const topics: string[] = new Array(this.bytes.varint());
        for (let i = 0; i < topics.length; i++) topics[i] = this.bytes.string();
        return { op: 'UNSUBSCRIBE', clientId, topics };
      }
      case MqttJournalOp.CLEAN_SUBS:
        return { op: 'CLEAN_SUBS', clientId: this.bytes.string() };
      case MqttJournalOp.ENQUEUE: {
        const clientIds: string[] = new Array(this.bytes.varint());
        for (let i = 0; i < clientIds.length; i++) clientIds[i] = this.bytes.string();
        const position = this.bytes.position;
        return { op: 'ENQUEUE', clientIds, packet: this.packet(), position };
      }
      case MqttJournalOp.UPDATE_ID:
        return {
          op: 'UPDATE_ID',
          clientId: this.bytes.string(),
          brokerId: this.bytes.value(),
          brokerCounter: this.bytes.value(),
          messageId: this.bytes.value(),
        };
      case MqttJournalOp.REPLACE: {
        const clientId = this.bytes.string();
        const position = this.bytes.position;
        return { op: 'REPLACE', clientId, packet: this.packet(), position };
      }
      case MqttJournalOp.CLEAR:
        return { op: 'CLEAR', clientId: this.bytes.string(), messageId: this.bytes.value() };
      case MqttJournalOp.INCOMING_PUT:
        return { op: 'INCOMING_PUT', clientId: this.bytes.string(), packet: this.packet() };
      case MqttJournalOp.INCOMING_DEL:
        return { op: 'INCOMING_DEL', clientId: this.bytes.string(), messageId: this.bytes.value() };
      case MqttJournalOp.INCOMING_CLEAN:
        return { op: 'INCOMING_CLEAN', clientId: this.bytes.string() };
      case MqttJournalOp.WILL_PUT:
        return { op: 'WILL_PUT', clientId: this.bytes.string(), packet: this.packet() };
      case MqttJournalOp.WILL_DEL:
        return { op: 'WILL_DEL', clientId: this.bytes.string() };
      case MqttJournalOp.SESSION_TIMERS:
        return { op: 'SESSION_TIMERS', clientId: this.bytes.string(), record: this.bytes.value() as SessionTimersRecord | undefined };
      case MqttJournalOp.SESSION_OPEN:
        return { op: 'SESSION_OPEN', clientId: this.bytes.string() };
      default:
        throw new Error(`unknown mqtt journal op ${op} at byte ${this.bytes.position - 1}`);
    }
  }

  private packet(): PersistedPacket {
    const value = this.bytes.value();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('mqtt journal packet is not an object');
    return value as PersistedPacket;
  }
}
