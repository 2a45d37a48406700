import type { IConnectPacket, IDisconnectPacket, IPublishPacket, ISubscribePacket, IUnsubscribePacket, Packet } from 'mqtt-packet';
// The module object itself: generate() sizes a packet the way it will be written.
import mqttPacket = require('mqtt-packet');
import { PacketStreamWriter, type OutboundPacketHandler } from '../packet-stream-writer';
import type { SessionTimersRecord } from '../persistence';
import { SessionPresence } from '../session-presence';
import { ShareFilter } from '../shared';
import type { AedesClientInternals } from './aedes-internals';
import { InboundTopicAliases } from './inbound-topic-aliases';
import { isExpired, remainingExpiryInterval } from './message-expiry';
import { Mqtt5ProtocolError } from './mqtt5-protocol-error';
import { Mqtt5ReasonCode, connackReasonCodeOf, subackReasonCodeOf } from './mqtt5-reason-code';
import { OutboundFlowControl } from './outbound-flow-control';
import { OutboundTopicAliases } from './outbound-topic-aliases';
import { SubscriptionIdentifiers } from './subscription-identifiers';

const AS_MQTT5 = { protocolVersion: 5 };

/** What the server announces in its CONNACK and enforces. */
export interface Mqtt5ServerLimits {
  /** QoS 1/2 PUBLISHes a client may have unacknowledged towards the server (more: DISCONNECT 0x93). */
  receiveMaximum: number;
  /** Topic aliases a client may define (0: none). */
  topicAliasMaximum: number;
  /** Largest packet the server accepts. */
  maximumPacketSize: number;
  /** QoS 1/2 messages held back for a client whose receive maximum is reached; more ends the connection (0x97). */
  maxHeldPublishes: number;
  /** Longest keep alive (seconds) a client may use; one asking for more or none gets this as Server Keep Alive. */
  keepaliveLimit?: number;
  /** Response Information given to a client that requests it is this, its client id and `/` (3.2.2.3.15); absent: none. */
  responseTopicPrefix?: string;
}

export interface Mqtt5ConnectionHooks {
  /** The SUBACK of a SUBSCRIBE is being written: aedes sends the retained messages of its filters right after. */
  subscribing(retainedNotWanted: ReadonlySet<string>): void;
}

type Will = NonNullable<IConnectPacket['will']>;

/** An outgoing PUBLISH as aedes writes it (an aedes-packet), with the v5 fields it carries along. */
interface OutgoingPublish {
  [field: string]: unknown;
  topic: string;
  qos: number;
  messageId?: number;
  payload: Buffer | string;
  properties?: Record<string, unknown>;
  messageExpiry?: number;
}

const CLIENT_DEFAULT_RECEIVE_MAXIMUM = 65535;
export const SESSION_NEVER_EXPIRES = 0xffffffff;

/**
 * One MQTT 5 connection between mqtt-packet's parser, aedes (which speaks 3.1.1) and the socket.
 * Inbound, it turns the v5 packets into what aedes understands and enforces what aedes does not
 * know (topic aliases, the server's receive maximum, negative acks); outbound, it writes what aedes
 * sends as v5: reason codes, CONNACK properties, subscription identifiers, topic aliases, the
 * remaining message expiry, and the client's receive maximum.
 */
export class Mqtt5Connection implements OutboundPacketHandler {
  /** Seconds the session outlives the connection (0: it ends with it; 0xFFFFFFFF: never). */
  sessionExpiryInterval: number;
  /** A will with a Will Delay Interval: aedes never sees it; the layer publishes it after the delay. */
  readonly delayedWill: Will | undefined;
  /** The CONNACK accepted the client. */
  accepted = false;
  /** The client sent DISCONNECT without "with will": no will. */
  disconnectedNormally = false;
  readonly subscriptionIds = new SubscriptionIdentifiers();
  private readonly inboundAliases: InboundTopicAliases;
  private readonly inboundInflight = new Set<number>();
  private readonly outboundAliases: OutboundTopicAliases | undefined;
  private readonly flow: OutboundFlowControl<OutgoingPublish>;
  private readonly clientMaximumPacketSize: number | undefined;
  /** The keep alive in force: the client's, or the server's limit (3.2.2.3.14). */
  private readonly keepalive: number;
  private readonly unsubackCodes = new Map<number, number[]>();
  /** The filters of each SUBSCRIBE awaiting its SUBACK, in the order of aedes' granted list (duplicates dropped). */
  private readonly subscribing = new Map<number, string[]>();
  private readonly retainedNotWanted = new Map<number, Set<string>>();

  constructor(
    private readonly client: AedesClientInternals,
    private readonly connect: IConnectPacket,
    private readonly limits: Mqtt5ServerLimits,
    private readonly hooks: Mqtt5ConnectionHooks,
  ) {
    const properties = connect.properties ?? {};
    this.sessionExpiryInterval = properties.sessionExpiryInterval ?? 0;
    const willDelay = connect.will?.properties?.willDelayInterval ?? 0;
    this.delayedWill = willDelay > 0 ? connect.will : undefined;
    this.inboundAliases = new InboundTopicAliases(limits.topicAliasMaximum);
    const clientAliases = properties.topicAliasMaximum ?? 0;
    this.outboundAliases = clientAliases > 0 ? new OutboundTopicAliases(clientAliases) : undefined;
    this.flow = new OutboundFlowControl(properties.receiveMaximum ?? CLIENT_DEFAULT_RECEIVE_MAXIMUM, limits.maxHeldPublishes);
    this.clientMaximumPacketSize = properties.maximumPacketSize;
    const limit = limits.keepaliveLimit;
    const asked = connect.keepalive ?? 0;
    this.keepalive = limit !== undefined && (asked === 0 || asked > limit) ? limit : asked;
  }

  /** Seconds of Will Delay Interval of the delayed will. */
  get willDelayInterval(): number {
    return this.delayedWill?.properties?.willDelayInterval ?? 0;
  }

  /** Milliseconds the session outlives the connection; undefined: forever. */
  get sessionExpiryMs(): number | undefined {
    return this.sessionExpiryInterval === SESSION_NEVER_EXPIRES ? undefined : this.sessionExpiryInterval * 1000;
  }

  /** The user name of the CONNECT. */
  get username(): string | undefined {
    return this.connect.username;
  }

  /** What of this session must survive a broker restart while the client is connected (no deadlines yet); undefined: nothing. */
  connectedSessionTimers(): SessionTimersRecord | undefined {
    if (this.sessionExpiryInterval === 0 && !this.delayedWill) return undefined;
    return { expiryInterval: this.sessionExpiryInterval, will: this.delayedWill as SessionTimersRecord['will'], username: this.username };
  }

  /** A new session that must outlive the connection: what is stored under this client id goes first. */
  get discardsStoredSession(): boolean {
    return this.connect.clean === true && this.sessionExpiryInterval > 0 && this.connect.clientId !== '';
  }

  /**
   * The CONNECT aedes gets: a 3.1.1 one (a copy: the parser reads the original to keep parsing v5).
   * aedes keeps the session (clean = false) unless it ends with the connection.
   */
  aedesConnect(): IConnectPacket {
    return {
      ...this.connect,
      protocolVersion: 4,
      keepalive: this.keepalive,
      clean: this.connect.clean === true && this.sessionExpiryInterval === 0,
      will: this.delayedWill ? undefined : this.connect.will,
    };
  }

  /** Client → server: the packet to hand aedes, or undefined when it was handled here. Throws Mqtt5ProtocolError. */
  inbound(packet: Packet): Packet | undefined {
    switch (packet.cmd) {
      case 'publish':
        return this.inboundPublish(packet);
      case 'puback':
      case 'pubcomp':
        this.releaseOutbound(packet.messageId!);
        return packet;
      case 'pubrec':
        if ((packet.reasonCode ?? 0) < 0x80) return packet;
        // The client refused the message: the QoS 2 exchange ends here (4.3.3), no PUBREL.
        this.releaseOutbound(packet.messageId!);
        if (!this.client.clean) this.client.broker.persistence.outgoingClearMessageId(this.client, packet).catch(() => undefined);
        return undefined;
      case 'subscribe':
        this.inboundSubscribe(packet);
        return packet;
      case 'unsubscribe':
        this.inboundUnsubscribe(packet);
        return packet;
      case 'disconnect':
        return this.inboundDisconnect(packet);
      case 'auth':
        throw new Mqtt5ProtocolError(Mqtt5ReasonCode.PROTOCOL_ERROR, 'AUTH without an authentication method');
      default:
        return packet;
    }
  }

  /** Server → client: writes a packet aedes sends, as MQTT 5. */
  outbound(packet: Record<string, unknown>): boolean {
    try {
      switch (packet.cmd) {
        case 'connack':
          return this.write(this.connack(packet));
        case 'publish':
          return this.outboundPublish(packet as OutgoingPublish);
        case 'puback':
        case 'pubcomp':
          this.inboundInflight.delete(packet.messageId as number);
          return this.write(packet);
        case 'suback':
          return this.write(this.suback(packet));
        case 'unsuback':
          return this.write(this.unsuback(packet));
        default:
          return this.write(packet);
      }
    } catch (error) {
      if (!(error instanceof Mqtt5ProtocolError)) throw error;
      this.disconnect(error);
      return true;
    }
  }

  /** Ends the connection with DISCONNECT `reasonCode` (4.13): aedes sees a connection that closed without DISCONNECT. */
  disconnect(error: Mqtt5ProtocolError): void {
    const conn = this.client.conn;
    if (conn.destroyed) return;
    this.write({ cmd: 'disconnect', reasonCode: error.reasonCode, properties: { reasonString: error.message } });
    conn.end();
    setImmediate(() => conn.destroy());
  }

  /** Writes DISCONNECT `reasonCode` as the last packet of a connection aedes is about to close itself. */
  farewell(reasonCode: number, reason: string): void {
    this.write({ cmd: 'disconnect', reasonCode, properties: { reasonString: reason } });
  }

  /** Refuses the CONNECT itself (before aedes saw it). */
  refuseConnect(reasonCode: number): void {
    this.write({ cmd: 'connack', sessionPresent: false, reasonCode });
    const conn = this.client.conn;
    conn.end();
    setImmediate(() => conn.destroy());
  }

  /** Is the PUBLISH (as aedes would forward it) larger than the client's Maximum Packet Size (3.1.2.11.4)? */
  exceedsMaximumPacketSize(packet: { topic: string; qos: number; payload: Buffer | string; properties?: object; messageExpiry?: number }): boolean {
    if (this.clientMaximumPacketSize === undefined) return false;
    const payloadBytes = typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : (packet.payload?.length ?? 0);
    const properties = this.publishProperties(packet as OutgoingPublish, Date.now());
    const withoutPayload = mqttPacket.generate(
      { cmd: 'publish', topic: packet.topic, payload: Buffer.alloc(0), qos: packet.qos as 0, messageId: 1, retain: false, dup: false, properties } as IPublishPacket,
      AS_MQTT5,
    );
    // The remaining length grows by at most 3 bytes with the payload.
    return withoutPayload.length + 3 + payloadBytes > this.clientMaximumPacketSize;
  }

  private inboundPublish(packet: IPublishPacket): IPublishPacket | undefined {
    const properties = packet.properties;
    if (properties) {
      if (properties.subscriptionIdentifier !== undefined) {
        throw new Mqtt5ProtocolError(Mqtt5ReasonCode.PROTOCOL_ERROR, 'a PUBLISH from a client may not carry a subscription identifier');
      }
      if (properties.topicAlias !== undefined) {
        packet.topic = this.inboundAliases.resolve(packet.topic, properties.topicAlias);
        delete properties.topicAlias;
      }
    }
    const messageId = packet.messageId!;
    if (packet.qos > 0 && !this.inboundInflight.has(messageId)) {
      if (this.inboundInflight.size >= this.limits.receiveMaximum) {
        throw new Mqtt5ProtocolError(Mqtt5ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, `more than ${this.limits.receiveMaximum} QoS 1/2 publishes unacknowledged`);
      }
      this.inboundInflight.add(messageId);
    }
    return packet;
  }

  /** The broker did not take a PUBLISH of this client: a negative PUBACK/PUBREC (the QoS 2 exchange ends there); QoS 0 has none. */
  refusePublish(packet: { messageId?: number; qos: number }, reasonCode: number): void {
    if (packet.qos === 0) return;
    this.inboundInflight.delete(packet.messageId!);
    this.write({ cmd: packet.qos === 1 ? 'puback' : 'pubrec', messageId: packet.messageId, reasonCode });
  }

  private inboundSubscribe(packet: ISubscribePacket): void {
    const identifier = packet.properties?.subscriptionIdentifier;
    const notWanted = new Set<string>();
    this.subscribing.set(packet.messageId!, [...new Set(packet.subscriptions.map((subscription) => subscription.topic))]);
    for (const subscription of packet.subscriptions as Array<ISubscribePacket['subscriptions'][number] & { subscriptionIdentifier?: number }>) {
      // The persistence stores it with the subscription, so a resumed session still has it.
      if (identifier === undefined) delete subscription.subscriptionIdentifier;
      else subscription.subscriptionIdentifier = identifier;
      if (subscription.nl && ShareFilter.isShared(subscription.topic)) {
        throw new Mqtt5ProtocolError(Mqtt5ReasonCode.PROTOCOL_ERROR, 'No Local on a shared subscription');
      }
      // Retain Handling (3.8.3.1): 1 = only for a new subscription, 2 = never.
      if (subscription.rh === 2 || (subscription.rh === 1 && subscription.topic in this.client.subscriptions)) notWanted.add(subscription.topic);
    }
    if (notWanted.size > 0) this.retainedNotWanted.set(packet.messageId!, notWanted);
  }

  private inboundUnsubscribe(packet: IUnsubscribePacket): void {
    const codes = packet.unsubscriptions.map((filter) =>
      filter in this.client.subscriptions ? Mqtt5ReasonCode.SUCCESS : Mqtt5ReasonCode.NO_SUBSCRIPTION_EXISTED,
    );
    this.unsubackCodes.set(packet.messageId!, codes);
    for (const filter of packet.unsubscriptions) this.subscriptionIds.delete(filter);
  }

  private inboundDisconnect(packet: IDisconnectPacket): IDisconnectPacket | undefined {
    const expiry = packet.properties?.sessionExpiryInterval;
    if (expiry !== undefined) {
      if (this.sessionExpiryInterval === 0 && expiry !== 0) {
        throw new Mqtt5ProtocolError(Mqtt5ReasonCode.PROTOCOL_ERROR, 'a session that ends with the connection cannot be given an expiry at DISCONNECT');
      }
      this.sessionExpiryInterval = expiry;
    }
    if (packet.reasonCode === Mqtt5ReasonCode.DISCONNECT_WITH_WILL) {
      // aedes publishes the will of a connection that closed without DISCONNECT.
      this.client.conn.destroy();
      return undefined;
    }
    this.disconnectedNormally = true;
    return packet;
  }

  private connack(packet: Record<string, unknown>): Record<string, unknown> {
    SessionPresence.correct(packet, this.client.conn);
    const reasonCode = connackReasonCodeOf(packet.returnCode as number);
    if (reasonCode !== Mqtt5ReasonCode.SUCCESS) return { cmd: 'connack', sessionPresent: false, reasonCode };
    this.accepted = true;
    if (packet.sessionPresent) this.loadSubscriptionIdentifiers();
    return {
      cmd: 'connack',
      sessionPresent: packet.sessionPresent,
      reasonCode,
      properties: {
        receiveMaximum: this.limits.receiveMaximum,
        topicAliasMaximum: this.limits.topicAliasMaximum > 0 ? this.limits.topicAliasMaximum : undefined,
        maximumPacketSize: this.limits.maximumPacketSize,
        assignedClientIdentifier: this.connect.clientId === '' ? this.client.id : undefined,
        serverKeepAlive: this.keepalive !== (this.connect.keepalive ?? 0) ? this.keepalive : undefined,
        responseInformation: this.responseInformation(),
        retainAvailable: true,
        wildcardSubscriptionAvailable: true,
        subscriptionIdentifiersAvailable: true,
        sharedSubscriptionAvailable: true,
      },
    };
  }

  /** Only for a client that asked (3.1.2.11.7), when the server has some to give: none for a client id that would put a wildcard in it. */
  private responseInformation(): string | undefined {
    const prefix = this.limits.responseTopicPrefix;
    if (prefix === undefined || this.connect.properties?.requestResponseInformation !== true || /[+#]/.test(this.client.id)) return undefined;
    return `${prefix}${this.client.id}/`;
  }

  private suback(packet: Record<string, unknown>): Record<string, unknown> {
    const messageId = packet.messageId as number;
    this.hooks.subscribing(this.retainedNotWanted.get(messageId) ?? new Set());
    this.retainedNotWanted.delete(messageId);
    const filters = this.subscribing.get(messageId) ?? [];
    this.subscribing.delete(messageId);
    return { ...packet, granted: (packet.granted as number[]).map((granted, i) => subackReasonCodeOf(granted, filters[i] ?? '')) };
  }

  private unsuback(packet: Record<string, unknown>): Record<string, unknown> {
    const messageId = packet.messageId as number;
    const codes = this.unsubackCodes.get(messageId) ?? [Mqtt5ReasonCode.SUCCESS];
    this.unsubackCodes.delete(messageId);
    return { ...packet, granted: codes };
  }

  /** A resumed session's subscriptions keep the identifiers they were made with (the persistence stores them). */
  private loadSubscriptionIdentifiers(): void {
    this.client.broker.persistence.subscriptionsByClient({ id: this.client.id }).then(
      (subscriptions) => {
        for (const { topic, subscriptionIdentifier } of subscriptions) {
          if (subscriptionIdentifier !== undefined && this.subscriptionIds.get(topic) === undefined) this.subscriptionIds.set(topic, subscriptionIdentifier);
        }
      },
      () => undefined,
    );
  }

  private outboundPublish(packet: OutgoingPublish): boolean {
    if (packet.qos > 0 && !this.flow.offer(packet)) return true;
    return this.writePublish(packet);
  }

  private releaseOutbound(messageId: number): void {
    const sendable = this.flow.release(messageId);
    for (let i = 0; i < sendable.length; i++) {
      const packet = sendable[i]!;
      if (!isExpired(packet)) {
        this.writePublish(packet);
        continue;
      }
      // Expired while held back (3.3.2.3.3): never sent, and no longer queued for the session.
      if (!this.client.clean) this.client.broker.persistence.outgoingClearMessageId(this.client, packet).catch(() => undefined);
      sendable.push(...this.flow.release(packet.messageId!));
    }
  }

  private writePublish(packet: OutgoingPublish): boolean {
    const properties = this.publishProperties(packet, Date.now());
    let topic = packet.topic;
    if (this.outboundAliases) {
      const named = this.outboundAliases.name(topic);
      topic = named.topic;
      if (named.alias !== undefined) properties.topicAlias = named.alias;
    }
    return this.write({ ...packet, topic, properties });
  }

  /** The properties a PUBLISH to this client carries: the publisher's, the remaining expiry, the matching subscription ids. */
  private publishProperties(packet: OutgoingPublish, now: number): Record<string, unknown> {
    const properties: Record<string, unknown> = { ...packet.properties };
    delete properties.topicAlias;
    delete properties.subscriptionIdentifier;
    delete properties.willDelayInterval;
    if (packet.messageExpiry !== undefined) properties.messageExpiryInterval = remainingExpiryInterval(packet.messageExpiry, now);
    if (this.subscriptionIds.size > 0) {
      const identifiers = this.subscriptionIds.matching(packet.topic);
      if (identifiers.length > 0) properties.subscriptionIdentifier = identifiers.length === 1 ? identifiers[0] : identifiers;
    }
    return properties;
  }

  private write(packet: object): boolean {
    const conn = this.client.conn;
    if (conn.destroyed) return true;
    return PacketStreamWriter.writeWith(packet, conn, AS_MQTT5);
  }
}
