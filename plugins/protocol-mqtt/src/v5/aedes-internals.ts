import type { EventEmitter } from 'node:events';
import type { Duplex, Readable } from 'node:stream';
import type { SessionTimersRecord } from '../persistence';

/** The persistence calls the v5 layer makes (aedes-persistence 11's interface). */
export interface SessionPersistence {
  cleanSubscriptions(client: { id: string }): Promise<void>;
  subscriptionsByClient(client: { id: string }): Promise<Array<{ topic: string; subscriptionIdentifier?: number }>>;
  outgoingStream(client: { id: string }): Readable;
  outgoingClearMessageId(client: { id: string }, packet: object): Promise<unknown>;
  cleanIncoming?(client: { id: string }): Promise<void>;
  createRetainedStreamCombi(patterns: readonly string[]): Readable;
  /** Tessera's own (TesseraPersistence): MQTT 5 session expiry and delayed wills kept across restarts. */
  putSessionTimers(clientId: string, record: SessionTimersRecord | undefined): Promise<void>;
  storedSessionTimers(): Array<[string, SessionTimersRecord]>;
}

/** The parts of aedes 1.2.0's lib/client.js the v5 layer relies on (verified against that version). */
export interface AedesClientInternals extends EventEmitter {
  id: string;
  clean: boolean;
  closed: boolean;
  conn: Duplex;
  /** mqtt-packet's parser for this connection; aedes listens to its 'packet' events (lib/client.js enqueue). */
  _parser: EventEmitter;
  /** What aedes calls when it is done with a packet (lib/client.js enqueue reads it at each packet): an error ends the connection. */
  _nextBatch(error?: Error | null): void;
  /** Topic filter → aedes' Subscription, for the subscriptions active on this connection. */
  subscriptions: Record<string, unknown>;
  broker: { persistence: SessionPersistence };
}

/** The parts of the aedes 1.2.0 instance the v5 layer relies on. */
export interface AedesInternals extends EventEmitter {
  handle(conn: Duplex, req?: unknown): AedesClientInternals;
  /** Takes a new connection's session over (closing the connection that held it), then registers it. */
  registerClient(client: AedesClientInternals): void;
  clients: Record<string, AedesClientInternals>;
  persistence: SessionPersistence;
  authorizePublish(client: unknown, packet: object, done: (error?: Error | null) => void): void;
  publish(packet: object, client: unknown, done: (error?: Error | null) => void): void;
}
