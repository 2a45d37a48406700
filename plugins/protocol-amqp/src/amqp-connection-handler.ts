import { randomBytes } from 'node:crypto';
import { permits, readFilterFor, type Broker, type Logger, type MessageHooks, type Subscription, type UserAction, type UserStore, type ProduceBatcher } from '@tessera/kernel';
import type { Connection, EventContext, Message, Receiver, Sender } from 'rhea';
import { AmqpAddressError, parseAmqpAddress, type AmqpAddress } from './amqp-address';
import { ConnectionFailureReason, type AmqpMetrics } from './amqp-metrics';
import type { AmqpProtocolOptions } from './amqp-protocol-options';
import { AmqpRefusal } from './amqp-refusal';
import { ConnectionTransactions } from './connection-transactions';
import { ConsumerLink, type ConsumerLinkSpec } from './consumer-link';
import { PublisherLink, refusalOf } from './publisher-link';
import { publisherQueueOf } from './publisher-queue';
import { isCoordinatorTerminus } from './rhea-transaction-types';
import { authenticatedUser } from './sasl-mechanisms';
import { sourceFilterOf, type SourceFilter } from './source-filter';
import { TransactionCoordinatorLink } from './transaction-coordinator-link';
import { durableSubscriptionGroupOf, queueGroupOf, TEMPORARY_QUEUE_PREFIX, temporarySubscriptionGroupOf } from './subscription-group';

export interface AmqpConnectionContext {
  broker: Broker;
  users: UserStore;
  options: AmqpProtocolOptions;
  batcher: ProduceBatcher;
  logger: Logger;
  /** The feature hooks, to check a source's filter when the link attaches. */
  hooks: readonly MessageHooks[];
  metrics: AmqpMetrics;
}

interface RemoteTerminus {
  address?: string | null;
  dynamic?: boolean;
  durable?: number;
  expiry_policy?: string;
  distribution_mode?: string;
  filter?: Record<string, unknown> | null;
}

/**
 * One AMQP connection: answers attaches (publishing links, consuming links on queues, topic
 * subscriptions, dynamic temporary queues, the anonymous relay, the transaction coordinator),
 * checks each address against the user's permissions, and cleans up when links or the
 * connection go (its open transactions roll back).
 */
export class AmqpConnectionHandler {
  private readonly consumers = new Map<Sender, ConsumerLink>();
  /** Temporary queues this connection's dynamic sources created, by the link that owns each. */
  private readonly temporaryQueues = new Map<Sender, string>();
  private readonly transactions: ConnectionTransactions;
  private closed = false;
  private undecodable = false;

  constructor(
    readonly connection: Connection,
    private readonly id: string,
    private readonly context: AmqpConnectionContext,
  ) {
    this.transactions = new ConnectionTransactions(context.broker, id, context.options, context.logger, context.metrics);
    connection.on('connection_open', () => context.metrics.connectionAccepted());
    connection.on('receiver_open', (event: EventContext) => this.publisherAttached(event.receiver!));
    connection.on('sender_open', (event: EventContext) => this.consumerAttached(event.sender!));
    connection.on('sender_close', (event: EventContext) => void this.consumerDetached(event.sender!));
    connection.on('receiver_close', () => undefined);
    connection.on('connection_close', () => void this.dropped());
    connection.on('disconnected', () => void this.dropped());
    for (const event of ['error', 'protocol_error', 'connection_error', 'session_error', 'sender_error', 'receiver_error']) {
      connection.on(event, (detail: unknown) => this.context.logger.debug({ connection: id, event, detail: describe(detail) }, 'AMQP connection error'));
    }
    // rhea raises these when it cannot decode what it read (or, rarely, encode what it writes); it then ends the socket.
    for (const event of ['error', 'protocol_error']) connection.on(event, () => this.frameUndecodable());
    this.countIdleTimeouts();
  }

  /** The broker is stopping: unsettled deliveries go back, then the connection closes with amqp:connection:forced. */
  async shutdown(): Promise<void> {
    await this.dropped();
    if (this.connection.is_open()) this.connection.close({ condition: 'amqp:connection:forced', description: 'the broker is stopping' });
  }

  /** rhea closes a connection silent for twice its idle-time-out in its `idle()`, and tells no one: count it there. */
  private countIdleTimeouts(): void {
    const internals = this.connection as unknown as { idle(): void };
    const idle = internals.idle;
    internals.idle = () => {
      if (!this.connection.is_closed()) this.context.metrics.connectionFailed(ConnectionFailureReason.IDLE_TIMEOUT);
      idle.call(this.connection);
    };
  }

  private frameUndecodable(): void {
    if (this.undecodable) return;
    this.undecodable = true;
    this.context.metrics.connectionFailed(ConnectionFailureReason.FRAMING_ERROR);
  }

  private publisherAttached(receiver: Receiver): void {
    if (isCoordinatorTerminus(receiver.target)) {
      new TransactionCoordinatorLink(receiver, this.transactions, this.context.logger).start();
      return;
    }
    const target = receiver.target as RemoteTerminus | undefined;
    try {
      if (target?.dynamic) throw new AmqpRefusal('amqp:not-implemented', 'dynamic targets are not supported: attach a receiver with a dynamic source for a temporary queue');
      const address = target?.address;
      const relay = address === undefined || address === null || address === '';
      const topic = relay ? undefined : this.resolve(address, 'produce').topic;
      const ready = this.ensureTopic(topic);
      receiver.set_target((relay ? {} : { address }) as never);
      const link = new PublisherLink(
        receiver,
        {
          batcher: this.context.batcher,
          clientId: this.id,
          logger: this.context.logger,
          topicOf: (message) => topic ?? this.relayTopicOf(message),
          queueOf: (name) => {
            const config = this.context.broker.topics.get(name);
            return config && publisherQueueOf(`${this.id}/${receiver.name}`, config.writeQueueCount);
          },
          transactions: this.transactions,
          metrics: this.context.metrics,
        },
        this.context.options.publisherCreditWindow,
      );
      ready.then(
        () => link.start(),
        (error: unknown) => receiver.close(refusalOf(error).toAmqpError()),
      );
    } catch (error) {
      receiver.close(refusalOf(error).toAmqpError());
    }
  }

  private consumerAttached(sender: Sender): void {
    const source = sender.source as RemoteTerminus | undefined;
    // Deliver pre-settled (at most once) when the client asked for it, else wait for its outcomes.
    (sender as unknown as { local: { attach: { snd_settle_mode: number } } }).local.attach.snd_settle_mode = sender.snd_settle_mode;
    try {
      let spec: ConsumerLinkSpec;
      let ready: Promise<unknown>;
      if (source?.dynamic) {
        const name = TEMPORARY_QUEUE_PREFIX + randomBytes(12).toString('hex');
        sender.set_source({ address: name, dynamic: true });
        this.temporaryQueues.set(sender, name);
        spec = this.queueSpec(sender, name);
        ready = this.context.broker.topics.create({ name, writeQueueCount: 1 });
      } else {
        const address = source?.address;
        if (!address) throw new AmqpRefusal('amqp:invalid-field', 'a receiving link needs a source address, or dynamic: true for a temporary queue');
        const resolved = this.resolve(address, 'consume');
        const filter = sourceFilterOf(source!.filter);
        if (resolved.kind === 'queue') {
          if (filter) throw filterOnQueue(address);
          spec = this.queueSpec(sender, resolved.topic);
        } else {
          spec = this.subscriptionSpec(sender, resolved.topic, source!);
          if (filter) spec.subscription = this.checkedSubscription(spec, filter);
        }
        ready = this.ensureTopic(resolved.topic);
        sender.set_source({ address, durable: source!.durable, expiry_policy: source!.expiry_policy, filter: filter?.applied } as never);
      }
      spec.browsing = source?.distribution_mode === 'copy';
      const link = new ConsumerLink(sender, this.context.broker, spec, this.context.options, this.context.logger, this.transactions, this.context.metrics);
      this.consumers.set(sender, link);
      ready.then(
        () => link.start(),
        (error: unknown) => sender.close(refusalOf(error).toAmqpError()),
      );
    } catch (error) {
      sender.close(refusalOf(error).toAmqpError());
    }
  }

  private queueSpec(sender: Sender, topic: string): ConsumerLinkSpec {
    return { group: queueGroupOf(topic), topic, clientId: `${this.id}/${sender.name}`, startFrom: 'EARLIEST', forgetOnClose: () => false };
  }

  /**
   * A topic address gets its own per-message-ack group per link, starting at the end of the
   * topic. A durable one (terminus durable, or expiry-policy never) is named by container id
   * and link name and outlives detaches and restarts until the link is closed for good.
   */
  private subscriptionSpec(sender: Sender, topic: string, source: RemoteTerminus): ConsumerLinkSpec {
    const durable = (source.durable ?? 0) > 0 || source.expiry_policy === 'never';
    const containerId = (this.connection as unknown as { container_id?: string }).container_id ?? this.id;
    const group = durable ? durableSubscriptionGroupOf(containerId, sender.name) : temporarySubscriptionGroupOf(randomBytes(12).toString('hex'));
    return {
      group,
      topic,
      clientId: `${this.id}/${sender.name}`,
      startFrom: 'LATEST',
      forgetOnClose: (closedForGood) => !durable || closedForGood,
    };
  }

  /** The kernel subscription for a source's filter; a bad selector or tag expression refuses the attach (amqp:invalid-field). */
  private checkedSubscription(spec: ConsumerLinkSpec, filter: SourceFilter): Subscription {
    const subscription: Subscription = { group: spec.group, topic: spec.topic, expressionType: filter.expressionType, expression: filter.expression };
    try {
      if (filter.selector !== undefined && filter.selector !== filter.expression) {
        readFilterFor(this.context.hooks, { ...subscription, expressionType: 'SQL92', expression: filter.selector });
      }
      readFilterFor(this.context.hooks, subscription);
    } catch (error) {
      throw new AmqpRefusal('amqp:invalid-field', `bad source filter: ${(error as Error).message}`);
    }
    return subscription;
  }

  private async consumerDetached(sender: Sender): Promise<void> {
    const link = this.consumers.get(sender);
    if (!link) return;
    this.consumers.delete(sender);
    const closedForGood = (sender as unknown as { remote: { detach?: { closed?: boolean } } }).remote.detach?.closed !== false;
    await link.close(closedForGood);
    await this.deleteTemporaryQueue(sender);
  }

  /** The connection closed or dropped: every link ends as detached (durable subscriptions stay). */
  private async dropped(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const links = [...this.consumers.entries()];
    this.consumers.clear();
    await this.transactions.rollbackAll();
    await Promise.all(
      links.map(async ([sender, link]) => {
        await link.close(false);
        await this.deleteTemporaryQueue(sender);
      }),
    );
  }

  private async deleteTemporaryQueue(sender: Sender): Promise<void> {
    const name = this.temporaryQueues.get(sender);
    if (name === undefined) return;
    this.temporaryQueues.delete(sender);
    await this.context.broker.deleteTopic(name).catch((error: unknown) =>
      this.context.logger.warn({ err: error, topic: name }, 'could not delete an AMQP temporary queue'),
    );
  }

  private resolve(address: string, action: UserAction): AmqpAddress {
    let resolved: AmqpAddress;
    try {
      resolved = parseAmqpAddress(address, this.context.options);
    } catch (error) {
      if (error instanceof AmqpAddressError) throw new AmqpRefusal('amqp:invalid-field', error.message);
      throw error;
    }
    const user = authenticatedUser(this.connection);
    if (!permits(this.context.users.permissionsOf(user), action, resolved.topic)) {
      const who = user === undefined ? 'an anonymous client' : `user "${user}"`;
      throw new AmqpRefusal('amqp:unauthorized-access', `${who} may not ${action === 'produce' ? 'send to' : 'receive from'} "${address}"`);
    }
    return resolved;
  }

  private relayTopicOf(message: Message): string {
    if (typeof message.to !== 'string' || message.to.length === 0) {
      throw new AmqpRefusal('amqp:invalid-field', 'a message sent to the anonymous relay needs a `to` address');
    }
    return this.resolve(message.to, 'produce').topic;
  }

  /**
   * Resolves when the topic exists, creating it if auto-create is on. Without auto-create an
   * unknown topic throws amqp:not-found at once, so the attach is refused before it is answered.
   */
  private ensureTopic(topic: string | undefined): Promise<unknown> {
    if (topic === undefined || this.context.broker.topics.get(topic)) return Promise.resolve();
    if (!this.context.broker.settings.autoCreateTopics) {
      throw new AmqpRefusal('amqp:not-found', `no queue or topic "${topic}" exists and auto-create is off`);
    }
    return this.context.broker.topics.getOrAutoCreate(topic);
  }
}

function filterOnQueue(address: string): AmqpRefusal {
  return new AmqpRefusal(
    'amqp:not-implemented',
    `filters apply to topic subscriptions (topic://...), not to the queue "${address}": its consumers share one cursor, and a filter would take the messages it skips away from the others`,
  );
}

function describe(detail: unknown): string {
  if (detail instanceof Error) return detail.message;
  const error = (detail as { connection?: unknown; error?: unknown } | undefined)?.error;
  return error instanceof Error ? error.message : String(error ?? '');
}
