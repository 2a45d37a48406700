import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { inject, injectable, multiInject } from 'inversify';
import rhea, { type Connection, type Container } from 'rhea';
import { Broker, Logger, MessageHooks, MetricsRegistry, UserStore, type Endpoint, type ProtocolAdapter, ProduceBatcher } from '@tessera/kernel';
import { AmqpConnectionGuard } from './amqp-connection-guard';
import { AmqpConnectionHandler } from './amqp-connection-handler';
import { AmqpMetrics } from './amqp-metrics';
import { AmqpProtocolOptions } from './amqp-protocol-options';
import { installLeanIncomingDeliveries } from './lean-incoming-deliveries';
import { countOpenEndpoints } from './open-endpoints';
import { installPooledTransportWriter } from './pooled-transport-writer';
import { skipDisabledRheaLogs } from './skip-disabled-rhea-logs';
import { installRheaTransactionTypes } from './rhea-transaction-types';
import { AnonymousMechanism, PlainMechanism } from './sasl-mechanisms';
import { isTemporarySubscriptionGroup, QUEUE_GROUP_PREFIX, SUBSCRIPTION_GROUP_PREFIX, TEMPORARY_QUEUE_PREFIX } from './subscription-group';

/** How long a connection closed with an error has to read it before its socket is cut. */
const CLOSE_GRACE_MS = 2000;

interface Listener {
  server: Server;
  protocol: 'amqp' | 'amqps';
  port: number;
}

/**
 * AMQP 1.0 on rhea, as a server: SASL PLAIN against the broker's UserStore (and ANONYMOUS if
 * allowed), TCP and optionally TLS. Each socket passes an AmqpConnectionGuard before rhea sees
 * it; each connection gets an AmqpConnectionHandler.
 */
@injectable()
export class AmqpProtocolAdapter implements ProtocolAdapter {
  readonly protocol = 'amqp';
  private readonly batcher: ProduceBatcher;
  private readonly metrics: AmqpMetrics;
  private readonly connections = new Set<AmqpConnectionHandler>();
  private readonly sockets = new Set<Socket>();
  private listeners: Listener[] = [];
  private container: Container | undefined;
  private nextConnectionId = 1;

  constructor(
    @inject(AmqpProtocolOptions) private readonly options: AmqpProtocolOptions,
    @inject(Broker) private readonly broker: Broker,
    @inject(UserStore) private readonly users: UserStore,
    @inject(Logger) private readonly logger: Logger,
    @multiInject(MessageHooks) private readonly hooks: MessageHooks[],
    @inject(MetricsRegistry) registry: MetricsRegistry,
  ) {
    this.batcher = new ProduceBatcher(broker, 'amqp');
    this.metrics = new AmqpMetrics(registry, () => countOpenEndpoints([...this.connections].map((handler) => handler.connection)));
  }

  async start(): Promise<void> {
    installPooledTransportWriter();
    installLeanIncomingDeliveries();
    skipDisabledRheaLogs();
    installRheaTransactionTypes();
    const container = rhea.create_container({ id: this.broker.settings.brokerName });
    const mechanisms = container.sasl_server_mechanisms as Record<string, () => unknown>;
    mechanisms.PLAIN = () => new PlainMechanism(this.users);
    if (this.options.allowAnonymous) mechanisms.ANONYMOUS = () => new AnonymousMechanism();
    // Anything a connection's own listeners did not take ends here rather than as an unhandled 'error'.
    container.on('error', (error: unknown) => this.logger.debug({ err: error }, 'AMQP error'));
    this.container = container;
    await this.deleteLeftoverTemporaryQueues();
    await this.endLeasesOfEndedConnections();

    const listeners: Listener[] = [];
    try {
      const tcp = createTcpServer({ noDelay: true }, (socket) => this.accept(socket));
      listeners.push({ server: tcp, protocol: 'amqp', port: await listen(tcp, this.options.port, this.options.host) });
      const tls = this.options.tls;
      if (tls) {
        const server = createTlsServer({ key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) });
        server.on('secureConnection', (socket) => this.accept(socket));
        listeners.push({ server, protocol: 'amqps', port: await listen(server, tls.port, this.options.host) });
      }
    } catch (error) {
      for (const listener of listeners) listener.server.close();
      throw error;
    }
    for (const listener of listeners) listener.server.on('error', (error) => this.logger.error({ err: error }, 'AMQP listener error'));
    this.listeners = listeners;
    this.logger.info({ endpoints: this.endpoints() }, 'AMQP listening');
  }

  async stop(): Promise<void> {
    const listeners = this.listeners;
    this.listeners = [];
    const closed = listeners.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve())));
    await Promise.all([...this.connections].map((connection) => connection.shutdown()));
    const cut = setTimeout(() => this.sockets.forEach((socket) => socket.destroy()), CLOSE_GRACE_MS);
    await Promise.all(closed);
    clearTimeout(cut);
    this.container = undefined;
  }

  endpoints(): Endpoint[] {
    return this.listeners.map(({ protocol, port }) => ({ protocol, host: this.options.host, port }));
  }

  private accept(socket: Socket): void {
    const container = this.container;
    if (!container) {
      socket.destroy();
      return;
    }
    const id = `amqp-${this.nextConnectionId++}`;
    this.sockets.add(socket);
    let connection: Connection | undefined;
    const guard = new AmqpConnectionGuard(socket, {
      maxFrameSize: this.options.maxFrameSize,
      allowNoSasl: this.options.allowAnonymous,
      closeGraceMs: CLOSE_GRACE_MS,
      onFramingError: (reason, condition, description) => {
        this.metrics.connectionFailed(reason);
        this.logger.debug({ connection: id, condition, description }, 'AMQP connection closed: framing error');
        connection?.close({ condition, description });
      },
      onRefused: (reason, description) => {
        this.metrics.connectionFailed(reason);
        this.logger.debug({ connection: id, reason: description }, 'AMQP connection refused');
      },
      traffic: this.metrics,
    });
    connection = container.create_connection({
      id,
      container_id: this.broker.settings.brokerName,
      max_frame_size: this.options.maxFrameSize,
      session_buffer_size: this.options.sessionWindow,
      idle_time_out: this.options.idleTimeoutMs > 0 ? this.options.idleTimeoutMs : undefined,
      offered_capabilities: ['ANONYMOUS-RELAY'],
      // Transfers are settled by the adapter once stored, and credit is granted by it as they are.
      autoaccept: false,
      credit_window: 0,
      treat_modified_as_released: false,
      reconnect: false,
    } as never);
    (connection as unknown as { accept(socket: unknown): void }).accept(guard);
    const handler = new AmqpConnectionHandler(connection, id, {
      broker: this.broker,
      users: this.users,
      options: this.options,
      batcher: this.batcher,
      logger: this.logger,
      hooks: this.hooks,
      metrics: this.metrics,
    });
    this.connections.add(handler);
    // Not rhea's 'disconnected', which a connection closed cleanly never emits.
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.connections.delete(handler);
      forgetSocket(connection);
    });
  }

  /**
   * A lease belongs to a link, and no link outlives the broker process: what links of the previous
   * run held unsettled is delivered again at once instead of after its lease time, and the groups
   * of links that were not durable are dropped.
   */
  private async endLeasesOfEndedConnections(): Promise<void> {
    for (const group of this.broker.perMessageAckGroups()) {
      if (!group.startsWith(QUEUE_GROUP_PREFIX) && !group.startsWith(SUBSCRIPTION_GROUP_PREFIX)) continue;
      if (isTemporarySubscriptionGroup(group)) {
        for (const topic of this.broker.perMessageAckTopicsOf(group)) await this.broker.forgetPerMessageAckGroup(group, topic);
        continue;
      }
      const released = await this.broker.releasePerMessageAckLeases(group);
      if (released > 0) this.logger.info({ group, released }, 'AMQP messages left unsettled by the previous run are deliverable again');
    }
  }

  /** Temporary queues live as long as their link; a crash leaves some behind. */
  private async deleteLeftoverTemporaryQueues(): Promise<void> {
    for (const topic of this.broker.topics.list()) {
      if (!topic.name.startsWith(TEMPORARY_QUEUE_PREFIX)) continue;
      await this.broker.deleteTopic(topic.name).catch((error: unknown) =>
        this.logger.warn({ err: error, topic: topic.name }, 'could not delete a leftover AMQP temporary queue'),
      );
    }
  }
}

/**
 * rhea keeps a connection that closed cleanly marked writable: a settlement that completes after
 * the client left (a store that answers late) would write to the dead socket and arm a heartbeat
 * timer that re-arms itself every idle_time_out / 2 for good, keeping the connection in memory.
 * Once the socket is closed nothing is written.
 */
function forgetSocket(connection: Connection): void {
  const internals = connection as unknown as { socket_ready: boolean; heartbeat_out?: NodeJS.Timeout };
  internals.socket_ready = false;
  clearTimeout(internals.heartbeat_out);
  internals.heartbeat_out = undefined;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
