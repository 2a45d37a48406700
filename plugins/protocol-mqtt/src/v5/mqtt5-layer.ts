import { Readable } from 'node:stream';
import type { Logger } from '@tessera/kernel';
import type { Aedes, Client } from 'aedes';
import type { IConnectPacket, Packet } from 'mqtt-packet';
import { ConnectRefusalReason, type MqttMetrics } from '../mqtt-metrics';
import { PACKET_TOO_LARGE } from '../mqtt-packet-size-guard';
import { PacketStreamWriter } from '../packet-stream-writer';
import type { SessionTimersRecord } from '../persistence';
import { PublishRefusal } from '../publish-refusal';
import type { AedesClientInternals, AedesInternals, SessionPersistence } from './aedes-internals';
import { discardStoredSession } from './discard-stored-session';
import { isExpired } from './message-expiry';
import { Mqtt5Connection, SESSION_NEVER_EXPIRES, type Mqtt5ServerLimits } from './mqtt5-connection';
import { Mqtt5ProtocolError } from './mqtt5-protocol-error';
import { Mqtt5ReasonCode } from './mqtt5-reason-code';
import { SessionTimers } from './session-timers';

export interface Mqtt5LayerOptions {
  limits: Mqtt5ServerLimits;
  logger: Logger;
  /** Told of the CONNECTs the layer refuses itself (aedes never sees them). */
  metrics: Pick<MqttMetrics, 'connectRefused'>;
  /** A stand-in for a client gone before a restart, to publish its delayed will as the user it logged in as. */
  clientFor(clientId: string, username: string | undefined): Client;
}

type Deliver = (this: unknown, packet: Packet) => void;
type Will = NonNullable<IConnectPacket['will']>;
type Authenticate = (client: Client, username: string | undefined, password: Buffer | undefined, done: (error: Error | null, success: boolean | null) => void) => void;

interface ForwardedPacket {
  topic: string;
  qos: number;
  payload: Buffer | string;
  retain?: boolean;
  properties?: object;
  messageExpiry?: number;
}

/** What aedes' retained-on-subscribe copy drops (it copies topic, payload and QoS only). */
interface RetainedExtras {
  properties?: object;
  messageExpiry?: number;
}

/**
 * MQTT 5 on aedes 1.x, which speaks 3.1.1 only. Each new connection's first packet is looked at:
 * a 3.1/3.1.1 CONNECT puts aedes' own packet listener back (nothing else of the layer touches that
 * connection, apart from one WeakMap look-up per written packet); a v5 CONNECT gets an
 * Mqtt5Connection between mqtt-packet's parser and aedes, and between aedes and the socket.
 * Broker-wide, the layer keeps session expiry and will delay timers, restores v5 properties and
 * expiry on retained messages, applies Retain Handling, and drops expired messages and ones larger
 * than a client's Maximum Packet Size (aedes' authorizeForward, which the adapter delegates here).
 */
export class Mqtt5Layer {
  private aedes: AedesInternals | undefined;
  private readonly connections = new WeakMap<object, Mqtt5Connection>();
  private readonly expiries = new SessionTimers();
  private readonly wills = new SessionTimers();
  private readonly retainedExtras = new WeakMap<object, RetainedExtras>();
  private retainedNotWanted: ReadonlySet<string> | undefined;
  private closing = false;

  constructor(private readonly options: Mqtt5LayerOptions) {}

  install(aedes: Aedes): void {
    const internals = aedes as unknown as AedesInternals;
    this.aedes = internals;
    const handle = internals.handle.bind(internals);
    internals.handle = (conn, req) => {
      const client = handle(conn, req);
      this.attach(client);
      return client;
    };
    const authenticate = (internals as unknown as { authenticate: Authenticate }).authenticate;
    (internals as unknown as { authenticate: Authenticate }).authenticate = (client, username, password, done) =>
      authenticate(client, username, password, (error, success) => this.authenticated(client, error, success, done));
    const registerClient = internals.registerClient.bind(internals);
    internals.registerClient = (client) => {
      const previous = internals.clients[client.id];
      if (previous && previous !== client) this.connections.get(previous)?.farewell(Mqtt5ReasonCode.SESSION_TAKEN_OVER, 'another connection took the session over');
      registerClient(client);
    };
    // aedes closes the connection right after.
    internals.on('keepaliveTimeout', (client: AedesClientInternals) =>
      this.connections.get(client)?.farewell(Mqtt5ReasonCode.KEEP_ALIVE_TIMEOUT, 'nothing received for 1.5 times the keep alive'),
    );
    // A session resumed or taken over (by any protocol version) is no longer about to expire; a v5
    // one keeps its interval and delayed will, without deadlines, in case the broker stops first.
    internals.on('client', (client: AedesClientInternals) => {
      this.expiries.cancel(client.id);
      this.wills.cancel(client.id);
      this.keep(client.id, this.connections.get(client)?.connectedSessionTimers());
    });
    internals.on('subscribe', (subscriptions: Array<{ topic: string; qos: number; subscriptionIdentifier?: number }>, client: Client) => {
      const connection = this.connections.get(client);
      if (!connection) return;
      for (const { topic, qos, subscriptionIdentifier } of subscriptions) if (qos < 0x80) connection.subscriptionIds.set(topic, subscriptionIdentifier);
    });
    this.wrapRetainedStream(internals.persistence);
  }

  /** aedes' authorizeForward: null skips the delivery. */
  authorizeForward<Forwarded extends ForwardedPacket>(client: Client, packet: Forwarded): Forwarded | null {
    let forwarded = packet;
    if (packet.retain && packet.properties === undefined && typeof packet.payload === 'object') {
      const extras = this.retainedExtras.get(packet.payload);
      if (extras) forwarded = { ...packet, ...extras };
    }
    if (isExpired(forwarded)) return null;
    if (this.connections.get(client)?.exceedsMaximumPacketSize(forwarded)) return null;
    return forwarded;
  }

  /**
   * Tells every v5 client the server is shutting down (DISCONNECT 0x8B); aedes closes the connections
   * next. From now on no timer is armed: what the closing connections leave is kept for the next start.
   */
  shutdown(): void {
    this.closing = true;
    this.expiries.clear();
    this.wills.clear();
    for (const client of Object.values(this.aedes?.clients ?? {})) {
      this.connections.get(client)?.farewell(Mqtt5ReasonCode.SERVER_SHUTTING_DOWN, 'the server is shutting down');
    }
  }

  /**
   * Re-arms the session expiry and will delay timers kept before the restart. A session whose
   * client was connected when the broker went down counts its interval from now. A session that
   * expired meanwhile is discarded before this resolves (its will, if still pending, published first).
   */
  async restore(): Promise<void> {
    const now = Date.now();
    const discarding: Array<Promise<void>> = [];
    for (const [clientId, stored] of this.aedes!.persistence.storedSessionTimers()) {
      const record = withDeadlines(stored, now);
      const client = this.options.clientFor(clientId, record.username) as unknown as AedesClientInternals;
      if (record.expiresAt !== undefined && record.expiresAt <= now) {
        if (record.will) this.publishWill(client, record.will as Will);
        this.keep(clientId, undefined);
        discarding.push(this.discardExpired(clientId));
        continue;
      }
      if (record.expiresAt !== stored.expiresAt || record.willAt !== stored.willAt) this.keep(clientId, record);
      this.arm(clientId, record, client);
    }
    await Promise.all(discarding);
  }

  /** Stops the session expiry and will delay timers (the broker is stopping); what is kept stays for the next start. */
  close(): void {
    this.closing = true;
    this.expiries.clear();
    this.wills.clear();
  }

  private attach(client: AedesClientInternals): void {
    const parser = client._parser;
    const deliver = parser.listeners('packet')[0] as Deliver;
    const first = (packet: Packet) => {
      parser.removeListener('packet', first);
      if (packet.cmd === 'connect' && packet.protocolVersion === 5) {
        this.attachV5(client, packet, deliver);
        return;
      }
      parser.on('packet', deliver);
      deliver.call(parser, packet);
    };
    parser.removeListener('packet', deliver);
    parser.on('packet', first);
  }

  private attachV5(client: AedesClientInternals, connect: IConnectPacket, deliver: Deliver): void {
    const parser = client._parser;
    const connection = new Mqtt5Connection(client, connect, this.options.limits, {
      subscribing: (notWanted) => {
        // aedes asks for the SUBSCRIBE's retained messages right after writing its SUBACK, in the same turn.
        this.retainedNotWanted = notWanted.size > 0 ? notWanted : undefined;
        queueMicrotask(() => (this.retainedNotWanted = undefined));
      },
    });
    this.connections.set(client, connection);
    // A publish aedes' authorizePublish refused gets a negative ack instead of ending the connection.
    const nextBatch = client._nextBatch;
    client._nextBatch = (error) => {
      if (!(error instanceof PublishRefusal)) return nextBatch(error);
      this.options.logger.debug({ clientId: client.id, reasonCode: error.reasonCode, reason: error.message }, 'MQTT 5 publish refused');
      connection.refusePublish(error.packet, error.reasonCode);
      nextBatch();
    };
    // aedes writes every packet as 3.1.1: this connection's go through it, which writes them as v5.
    PacketStreamWriter.route(client.conn, connection);
    client.conn.once('close', () => this.closed(client, connection));
    client.conn.on(PACKET_TOO_LARGE, (error: Error) => connection.farewell(Mqtt5ReasonCode.PACKET_TOO_LARGE, error.message));
    if (connect.properties?.authenticationMethod !== undefined) {
      connection.refuseConnect(Mqtt5ReasonCode.BAD_AUTHENTICATION_METHOD);
      this.options.metrics.connectRefused(ConnectRefusalReason.BAD_AUTHENTICATION_METHOD);
      return;
    }
    parser.on('packet', (packet: Packet) => {
      let forward: Packet | undefined;
      try {
        forward = connection.inbound(packet);
      } catch (error) {
        if (!(error instanceof Mqtt5ProtocolError)) throw error;
        this.options.logger.debug({ clientId: client.id, reasonCode: error.reasonCode, reason: error.message }, 'MQTT 5 client disconnected');
        connection.disconnect(error);
        return;
      }
      if (forward) deliver.call(parser, forward);
    });
    deliver.call(parser, connection.aedesConnect());
  }

  /** After a successful login, a new session that outlives its connection replaces what was stored under its id. */
  private authenticated(
    client: Client,
    error: Error | null,
    success: boolean | null,
    done: (error: Error | null, success: boolean | null) => void,
  ): void {
    const connection = this.connections.get(client);
    if (error || !success || !connection?.discardsStoredSession) {
      done(error, success);
      return;
    }
    discardStoredSession(this.aedes!.persistence, client.id).then(
      () => done(null, true),
      (failure: Error) => done(failure, null),
    );
  }

  private closed(client: AedesClientInternals, connection: Mqtt5Connection): void {
    if (!connection.accepted) return;
    const clientId = client.id;
    const current = this.aedes!.clients[clientId];
    if (current && current !== client) return;
    const will = connection.disconnectedNormally ? undefined : connection.delayedWill;
    const record = withDeadlines({ expiryInterval: connection.sessionExpiryInterval, will: will as SessionTimersRecord['will'], username: connection.username }, Date.now());
    // A session ending with its connection needs nothing kept, only a will would.
    this.keep(clientId, will || (record.expiryInterval > 0 && record.expiresAt !== undefined) ? record : undefined);
    this.arm(clientId, record, client);
  }

  /** Schedules the delayed will and the end of the session at the record's deadlines. */
  private arm(clientId: string, record: SessionTimersRecord, client: AedesClientInternals): void {
    if (this.closing) return;
    const now = Date.now();
    const { will, willAt, expiresAt } = record;
    if (will && willAt !== undefined) {
      this.wills.schedule(clientId, willAt - now, () => {
        if (this.isConnected(clientId)) return;
        this.publishWill(client, will as Will);
        this.keep(clientId, expiresAt === undefined ? undefined : { ...record, will: undefined, willAt: undefined });
      });
    }
    if (expiresAt !== undefined) {
      this.expiries.schedule(clientId, expiresAt - now, () => {
        if (this.isConnected(clientId)) return;
        this.keep(clientId, undefined);
        void this.discardExpired(clientId);
      });
    }
  }

  private discardExpired(clientId: string): Promise<void> {
    return discardStoredSession(this.aedes!.persistence, clientId).catch((failure: unknown) =>
      this.options.logger.warn({ err: failure, clientId }, 'discarding an expired MQTT session failed'),
    );
  }

  /** Journals what of a session's timers must survive a restart (undefined: nothing). */
  private keep(clientId: string, record: SessionTimersRecord | undefined): void {
    this.aedes!.persistence.putSessionTimers(clientId, record).catch((failure: unknown) =>
      this.options.logger.warn({ err: failure, clientId }, 'keeping an MQTT session expiry failed'),
    );
  }

  private isConnected(clientId: string): boolean {
    const client = this.aedes!.clients[clientId];
    return client !== undefined && !client.closed;
  }

  private publishWill(client: AedesClientInternals, will: Will): void {
    const properties: Record<string, unknown> = { ...will.properties };
    delete properties.willDelayInterval;
    const packet = { cmd: 'publish', topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain, dup: false, properties };
    const aedes = this.aedes!;
    const failed = (failure: Error | null | undefined) => {
      if (failure) this.options.logger.warn({ err: failure, clientId: client.id }, 'publishing a delayed MQTT will failed');
    };
    aedes.authorizePublish(client, packet, (refused) => {
      if (refused) failed(refused);
      else aedes.publish(packet, client, failed);
    });
  }

  /** Retain Handling, and the properties and expiry of retained messages (aedes' copy keeps neither). */
  private wrapRetainedStream(persistence: SessionPersistence): void {
    const original = persistence.createRetainedStreamCombi.bind(persistence);
    const extras = this.retainedExtras;
    persistence.createRetainedStreamCombi = (patterns) => {
      const notWanted = this.retainedNotWanted;
      this.retainedNotWanted = undefined;
      const wanted = notWanted ? patterns.filter((pattern) => !notWanted.has(pattern)) : patterns;
      const source = original(wanted);
      return Readable.from(
        (async function* () {
          for await (const packet of source as AsyncIterable<ForwardedPacket>) {
            if (typeof packet.payload === 'object' && (packet.properties !== undefined || packet.messageExpiry !== undefined)) {
              extras.set(packet.payload, { properties: packet.properties, messageExpiry: packet.messageExpiry });
            }
            yield packet;
          }
        })(),
      );
    };
  }
}

/**
 * The record with its deadlines, counted from `now` where absent (the client was connected): the
 * session ends after its interval (never for 0xFFFFFFFF), the will goes out after its delay or when
 * the session ends, whichever comes first (3.1.3.2.2).
 */
function withDeadlines(record: SessionTimersRecord, now: number): SessionTimersRecord {
  const expiresAt = record.expiresAt ?? (record.expiryInterval === SESSION_NEVER_EXPIRES ? undefined : now + record.expiryInterval * 1000);
  if (!record.will) return { ...record, expiresAt };
  const delay = ((record.will.properties as { willDelayInterval?: number } | undefined)?.willDelayInterval ?? 0) * 1000;
  const willAt = record.willAt ?? Math.min(now + delay, expiresAt ?? Number.POSITIVE_INFINITY);
  return { ...record, expiresAt, willAt };
}
