import type { Aedes, Subscription } from 'aedes';
import type { Logger } from '@tessera/kernel';
import type { AedesClient, AedesInternals, DeliveryCallback, PacketListener, RoutedPacket } from './aedes-internals';
import { ShareFilter } from './share-filter';
import { ShareGroup } from './share-group';
import { UnackedSharedCopies } from './unacked-shared-copies';

/** A subscription a session stored (in the persistence), to restore share groups from at start. */
export interface StoredSubscription {
  clientId: string;
  topic: string;
  qos: number;
}

/** What the router asks the persistence about an offline member. */
export interface StoredSessions {
  hasSubscription(clientId: string, topic: string): boolean;
}

interface RoutedGroup {
  group: ShareGroup;
  listener: PacketListener;
  removed: boolean;
}

/**
 * Shared subscriptions (`$share/<name>/<filter>`) on aedes 1.2.0, which has none. aedes stores a
 * `$share/…` subscription in the session like any other (so it persists and is restored), and its
 * own listener for it never fires: nothing may publish to a `$share/…` topic, and the persistence
 * never matches one for offline queueing. This router listens once per share group on aedes'
 * emitter for the inner filter and hands each message to one member it chooses (ShareGroup):
 * through the member client's own deliver functions (which journal a persistent session's inflight
 * packet), or into an offline persistent member's queue. A copy gets its own broker id and counter,
 * so aedes' per-client de-duplication never confuses it with the same message reaching that client
 * through a normal subscription.
 */
export class SharedSubscriptionRouter {
  private readonly aedes: AedesInternals;
  private readonly groups = new Map<string, RoutedGroup>();
  private readonly unacked = new UnackedSharedCopies();
  private readonly copyBrokerId: string;
  // Starts from the clock so that after a restart new copies never reuse a counter still queued in a session.
  private counter = Date.now() * 1000;

  constructor(
    private readonly events: Aedes,
    private readonly sessions: StoredSessions,
    private readonly logger: Logger,
  ) {
    this.aedes = events as unknown as AedesInternals;
    this.copyBrokerId = `${events.id}/$share`;
  }

  /** Restores the groups the persistent sessions' stored subscriptions form, and follows aedes' client events. */
  install(stored: Iterable<StoredSubscription>): void {
    const aedes = this.events;
    for (const subscription of stored) {
      const share = ShareFilter.parse(subscription.topic);
      if (share) this.join(share, subscription.clientId, subscription.qos, true);
    }
    aedes.on('subscribe', (subscriptions, client) => this.onSubscribe(subscriptions, client as AedesClient));
    aedes.on('unsubscribe', (topics, client) => this.onUnsubscribe(topics, client as AedesClient));
    aedes.on('clientReady', (client) => this.onClientReady(client as AedesClient));
    aedes.on('clientDisconnect', (client) => this.onClientDisconnect(client as AedesClient));
  }

  private onSubscribe(subscriptions: readonly Subscription[], client: AedesClient): void {
    // A clean session that closed before its SUBACK went out is gone already.
    if (client.closed && client.clean) return;
    for (const subscription of subscriptions) {
      if (subscription.qos > 2) continue;
      const share = ShareFilter.parse(subscription.topic);
      if (share) this.join(share, client.id, subscription.qos, !client.clean);
    }
  }

  /** An UNSUBSCRIBE, or a clean session's connection closing. */
  private onUnsubscribe(topics: readonly string[], client: AedesClient): void {
    for (const topic of topics) {
      if (ShareFilter.isShared(topic) && !this.heldByNewerConnection(client, topic)) this.leave(topic, client.id);
    }
  }

  /** The session's subscriptions are restored (or were cleaned, for a clean session): its memberships are exactly those. */
  private onClientReady(client: AedesClient): void {
    for (const [topic, routed] of this.groups) {
      if (routed.group.has(client.id) && !client.subscriptions[topic]) this.leave(topic, client.id);
    }
    for (const [topic, subscription] of Object.entries(client.subscriptions)) {
      const share = ShareFilter.parse(topic);
      if (share && subscription) this.join(share, client.id, subscription.qos, !client.clean);
    }
  }

  /** A clean session's memberships end with it, and what it had not acknowledged goes to other members. */
  private onClientDisconnect(client: AedesClient): void {
    if (!client.clean) return;
    for (const [topic, routed] of this.groups) {
      if (routed.group.has(client.id) && !this.heldByNewerConnection(client, topic)) this.leave(topic, client.id);
    }
    if (this.aedes.closed) return;
    for (const copy of this.unacked.takeAll(client)) {
      const routed = this.groups.get(copy.share);
      if (routed) this.deliver(routed.group, copy.packet, noop);
    }
  }

  private heldByNewerConnection(client: AedesClient, topic: string): boolean {
    const current = this.aedes.clients[client.id];
    return current !== undefined && current !== client && !current.closed && current.subscriptions[topic] !== undefined;
  }

  private join(share: ShareFilter, clientId: string, qos: number, persistent: boolean): void {
    let routed = this.groups.get(share.topic);
    if (!routed) {
      const group = new ShareGroup(share);
      const created: RoutedGroup = { group, removed: false, listener: () => undefined };
      const route: PacketListener = (packet, done) => (created.removed ? done() : this.deliver(group, packet, done));
      // [MQTT-4.7.2-1] a filter starting with a wildcard does not match `$` topics.
      created.listener = /^[+#]/.test(share.filter) ? (packet, done) => (packet.topic.startsWith('$') ? done() : route(packet, done)) : route;
      this.aedes.subscribe(share.filter, created.listener);
      this.groups.set(share.topic, created);
      routed = created;
    }
    routed.group.add(clientId, qos, persistent);
  }

  private leave(topic: string, clientId: string): void {
    const routed = this.groups.get(topic);
    if (!routed) return;
    routed.group.remove(clientId);
    if (routed.group.size > 0) return;
    routed.removed = true;
    this.groups.delete(topic);
    this.aedes.unsubscribe(routed.group.share.filter, routed.listener);
  }

  /** Hands the packet to one member; `done` once it is written to a connected member or durably queued for an offline one. */
  private deliver(group: ShareGroup, packet: RoutedPacket, done: DeliveryCallback): void {
    const topic = group.share.topic;
    const gone: string[] = [];
    const stillStored = (clientId: string) => {
      if (this.sessions.hasSubscription(clientId, topic)) return true;
      gone.push(clientId);
      return false;
    };
    const chosen = group.choose(packet.qos, (clientId) => this.connectedMember(clientId, topic) !== undefined, stillStored);
    // An offline session that expired or was cleaned is no member any more.
    for (const clientId of gone) this.leave(topic, clientId);
    if (!chosen) return done();
    const { clientId } = chosen;
    const client = chosen.online ? this.connectedMember(clientId, topic) : undefined;
    if (!client) {
      const copy = this.copyOf(packet, Math.min(packet.qos, group.qosOf(clientId)!), false);
      this.enqueue(clientId, copy).then(() => done());
      return;
    }
    const subscription = client.subscriptions[topic]!;
    const copy = this.copyOf(packet, Math.min(packet.qos, subscription.qos), subscription.rap === true);
    if (copy.qos === 0) return client.deliver0(copy, done);
    if (client.clean) {
      this.unacked.track(client, copy, { share: topic, packet });
      return client.deliverQoS(copy, done);
    }
    // deliverQoS only sets the packet identifier of a persistent session's queued packet.
    this.enqueue(clientId, copy).then((queued) => (queued ? client.deliverQoS(copy, done) : done()));
  }

  private connectedMember(clientId: string, topic: string): AedesClient | undefined {
    const client = this.aedes.clients[clientId];
    return client && !client.closed && client.subscriptions[topic] !== undefined ? client : undefined;
  }

  private enqueue(clientId: string, copy: RoutedPacket): Promise<boolean> {
    return this.aedes.persistence.outgoingEnqueue({ clientId }, copy).then(
      () => true,
      (error: unknown) => {
        this.logger.warn({ err: error, clientId, topic: copy.topic }, 'queueing a shared-subscription message for its member failed; it is dropped');
        return false;
      },
    );
  }

  private copyOf(packet: RoutedPacket, qos: number, retain: boolean): RoutedPacket {
    const copy: RoutedPacket = {
      cmd: 'publish',
      brokerId: this.copyBrokerId,
      brokerCounter: ++this.counter,
      topic: packet.topic,
      payload: packet.payload,
      qos,
      retain: retain && packet.retain,
      dup: false,
    };
    for (const field of ['clientId', 'properties', 'messageExpiry']) {
      if (Object.prototype.hasOwnProperty.call(packet, field)) copy[field] = packet[field];
    }
    return copy;
  }
}

function noop(): void {}
