import type { EventEmitter } from 'node:events';
import type { Client } from 'aedes';
import type { PersistedPacket } from '../persistence';

/** A packet as aedes routes it (aedes-packet's fields) and hands it to a client's deliver functions. */
export interface RoutedPacket extends PersistedPacket {
  cmd: 'publish';
  topic: string;
  payload: Buffer | string;
  qos: number;
  retain: boolean;
  dup: boolean;
  brokerId: string;
  brokerCounter: number;
}

export type DeliveryCallback = () => void;
export type PacketListener = (packet: RoutedPacket, done: DeliveryCallback) => void;

/** The parts of aedes 1.2.0's Client (lib/client.js) that its typings leave out and shared subscriptions use. */
export interface AedesClient extends Client {
  /** Session subscriptions by filter, as lib/handlers/subscribe.js keeps them. */
  subscriptions: Record<string, { qos: number; rap?: boolean } | undefined>;
  /** Sends at QoS 0. */
  deliver0(packet: RoutedPacket, done: DeliveryCallback): void;
  /** Sends at the packet's QoS; a persistent session's packet must be queued (outgoingEnqueue) first. */
  deliverQoS(packet: RoutedPacket, done: DeliveryCallback): void;
  /** The next packet identifier lib/qos-packet.js hands out. */
  _nextId: number;
  /** mqtt-packet's parser: emits every packet the client sends; `error` is the one it failed with, if any. */
  _parser: EventEmitter & { error?: Error | null };
}

/** The parts of aedes 1.2.0's broker that its typings leave out. */
export interface AedesInternals {
  readonly id: string;
  readonly closed: boolean;
  readonly clients: Record<string, AedesClient | undefined>;
  readonly persistence: { outgoingEnqueue(subscription: { clientId: string }, packet: PersistedPacket): Promise<void> };
  subscribe(filter: string, listener: PacketListener, done?: () => void): void;
  unsubscribe(filter: string, listener: PacketListener, done?: () => void): void;
}
