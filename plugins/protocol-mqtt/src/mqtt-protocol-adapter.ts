import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type ConnectPacket, type PublishPacket } from 'aedes';
import { inject, injectable } from 'inversify';
import mqttPacket = require('mqtt-packet');
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Broker, BrokerSettings, Logger, MetricsRegistry, ProduceBatcher, UserStore, type Endpoint, type MessageInput, type ProduceCallback, type ProtocolAdapter, type TopicConfig } from '@tessera/kernel';
import { ExactDeliveryDedupe } from './exact-delivery-dedupe';
import { ConnackReturnCode, MqttAccessControl, type MqttPrincipal } from './mqtt-access-control';
import { MqttLogBridge } from './mqtt-log-bridge';
import { ConnectRefusalReason, MqttMetrics } from './mqtt-metrics';
import { MqttPacketSizeGuard } from './mqtt-packet-size-guard';
import { MqttProperties } from './mqtt-properties';
import { MqttProtocolOptions } from './mqtt-protocol-options';
import { MqttSysTopics } from './mqtt-sys-topics';
import { MqttTopicMapping } from './mqtt-topic-mapping';
import { createTesseraPersistence, type TesseraPersistence } from './persistence';
import { PublishRefusal, PublishRefusalCode } from './publish-refusal';
import { RouteBeforePuback } from './route-before-puback';
import { SessionPresence } from './session-presence';
import { SHARE_PREFIX, ShareFilter, SharedSubscriptionRouter } from './shared';
import type { AedesClient, AedesInternals } from './shared/aedes-internals';
import { ForeignProduceTracker } from './foreign-produce-tracker';
import { PacketStreamWriter } from './packet-stream-writer';
import { Mqtt5Layer, logPropertiesOf, stampMessageExpiry } from './v5';

/** What a running adapter holds; absent while stopped. */
interface Running {
  aedes: Aedes;
  v5: Mqtt5Layer;
  bridge: MqttLogBridge;
  sysTopics?: MqttSysTopics;
  tcpServer: TcpServer;
  tcpPort: number;
  wsServer?: { http: HttpServer; ws: WebSocketServer; port: number };
}

/**
 * MQTT 3.1/3.1.1/5 over TCP (or TLS) and WebSocket, on aedes (3.1.1) and the v5 layer. Every PUBLISH is stored in the
 * kernel's log before aedes acknowledges it (aedes' authorizePublish hook), and a bridge
 * republishes what other protocols write to MQTT subscribers.
 */
@injectable()
export class MqttProtocolAdapter implements ProtocolAdapter {
  readonly protocol = 'mqtt';
  private running: Running | undefined;
  private readonly mapping: MqttTopicMapping;
  private readonly access: MqttAccessControl;
  private readonly batcher: ProduceBatcher;
  private readonly principals = new WeakMap<Client, MqttPrincipal>();
  private readonly metrics: MqttMetrics;

  constructor(
    @inject(MqttProtocolOptions) private readonly options: MqttProtocolOptions,
    @inject(Broker) private readonly broker: Broker,
    @inject(BrokerSettings) private readonly settings: BrokerSettings,
    @inject(Logger) private readonly logger: Logger,
    @inject(UserStore) users: UserStore,
    @inject(ForeignProduceTracker) private readonly foreignProduce: ForeignProduceTracker,
    @inject(MetricsRegistry) metrics: MetricsRegistry,
  ) {
    this.metrics = new MqttMetrics(metrics);
    this.mapping = new MqttTopicMapping(options);
    this.access = new MqttAccessControl(users, options, this.mapping);
    this.batcher = new ProduceBatcher(broker, 'mqtt');
  }

  async start(): Promise<void> {
    // Sessions, retained messages, inflight packets and wills live in Tessera's log too.
    const persistence = createTesseraPersistence({ broker: this.broker, logger: this.logger });
    await persistence.open();
    const routing = new RouteBeforePuback();
    const { maxPacketSize: maximumPacketSize, receiveMaximum, topicAliasMaximum, maxHeldPublishes, keepaliveLimit, responseTopicPrefix } = this.options;
    const v5 = new Mqtt5Layer({
      limits: { receiveMaximum, topicAliasMaximum, maximumPacketSize, maxHeldPublishes, keepaliveLimit, responseTopicPrefix },
      logger: this.logger,
      metrics: this.metrics,
      clientFor: (clientId, username) => {
        const client = { id: clientId } as Client;
        this.principals.set(client, this.access.principalOf(username));
        return client;
      },
    });
    const aedes = await Aedes.createBroker({
      id: this.settings.brokerName,
      persistence,
      preConnect: (client, packet, done) => this.preConnect(client, packet, done),
      authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => {
        stampMessageExpiry(packet);
        const refuse = (error: unknown) => {
          const refusal = PublishRefusal.of(error, packet);
          this.metrics.publishRefused(refusal.reasonCode);
          done(refusal);
        };
        this.storePublish(client, packet, persistence, (error) => {
          if (error) return refuse(error);
          if (!client || packet.qos !== 1) return done(null);
          routing.route(packet, client, (routingError) => (routingError ? refuse(routingError) : done(null)));
        });
      },
      authorizeSubscribe: (client, subscription, done) => {
        const filter = ShareFilter.matchingFilterOf(subscription.topic);
        done(null, filter !== undefined && this.access.maySubscribe(this.principalOf(client), filter) ? subscription : null);
      },
      authorizeForward: (client, packet) => v5.authorizeForward(client, packet),
    });
    routing.install(aedes);
    SessionPresence.install(aedes, persistence, this.logger);
    new ExactDeliveryDedupe().install(aedes);
    PacketStreamWriter.install();
    v5.install(aedes);
    await v5.restore();
    new SharedSubscriptionRouter(aedes, persistence, this.logger).install(persistence.storedSubscriptions(SHARE_PREFIX));
    aedes.on('clientError', (client, error) => this.logger.debug({ err: error, clientId: client.id }, 'MQTT client closed on error'));
    aedes.on('connectionError', (client, error) => {
      this.logger.debug({ err: error, clientId: client.id }, 'MQTT connection failed');
      // The parser's error: the CONNECT (or what came instead) was malformed or of an unknown protocol version.
      if ((client as unknown as AedesClient)._parser.error === error) this.metrics.connectRefused(ConnectRefusalReason.PROTOCOL_ERROR);
    });
    aedes.on('connackSent', (connack) => this.metrics.connack(connack.returnCode ?? 0));
    const bridge = new MqttLogBridge(
      this.broker,
      this.mapping,
      this.foreignProduce,
      (packet) => publishInto(aedes, packet),
      this.logger,
      this.options.bridgeRescanMs,
    );
    aedes.on('subscribe', (subscriptions) =>
      subscriptions.forEach((subscription) => {
        const filter = ShareFilter.matchingFilterOf(subscription.topic);
        if (filter !== undefined) bridge.follow(filter);
      }),
    );

    const handle = (stream: Duplex, request?: Parameters<Aedes['handle']>[1]) =>
      aedes.handle(new MqttPacketSizeGuard(stream, this.options.maxPacketSize, this.metrics), request);
    const tls = this.options.tls && { key: readFileSync(this.options.tls.keyFile), cert: readFileSync(this.options.tls.certFile) };
    const tcpServer = tls ? createTlsServer(tls, (socket) => handle(socket)) : createTcpServer({ noDelay: true }, (socket) => handle(socket));
    try {
      const tcpPort = await listen(tcpServer, this.options.port, this.options.host);
      const wsServer = this.options.wsPort === null ? undefined : await this.startWebSocket(handle, tls || undefined);
      bridge.start();
      const status = {
        connectedClients: () => aedes.connectedClients,
        totalClients: () => aedes.connectedClients + persistence.offlineSessionCount((clientId) => (aedes as unknown as AedesInternals).clients[clientId] !== undefined),
        subscriptions: () => subscriptionCount(aedes as unknown as AedesInternals, persistence),
      };
      const sysTopics = this.options.sysIntervalSeconds > 0 ? new MqttSysTopics(aedes, this.metrics, status, this.options.sysIntervalSeconds, this.logger) : undefined;
      sysTopics?.start();
      this.running = { aedes, v5, bridge, sysTopics, tcpServer, tcpPort, wsServer };
      this.metrics.watch(status);
    } catch (error) {
      tcpServer.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      throw error;
    }
    this.logger.info({ endpoints: this.endpoints() }, 'MQTT listening');
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    this.metrics.watch(undefined);
    running.sysTopics?.stop();
    const closed = [new Promise<void>((resolve) => running.tcpServer.close(() => resolve()))];
    running.v5.shutdown();
    if (running.wsServer) {
      const { http, ws } = running.wsServer;
      ws.close();
      closed.push(new Promise<void>((resolve) => http.close(() => resolve())));
    }
    await running.bridge.stop();
    await new Promise<void>((resolve) => running.aedes.close(() => resolve()));
    running.v5.close();
    running.wsServer?.http.closeAllConnections();
    await Promise.all(closed);
  }

  endpoints(): Endpoint[] {
    if (!this.running) return [];
    const endpoints: Endpoint[] = [{ protocol: 'mqtt', host: this.options.host, port: this.running.tcpPort }];
    if (this.running.wsServer) endpoints.push({ protocol: 'mqtt-ws', host: this.options.host, port: this.running.wsServer.port });
    return endpoints;
  }

  /** A v5 CONNECT arrives here with its keep alive already within the limit (Server Keep Alive); a 3.1.1 one cannot be told. */
  private preConnect(client: Client, packet: ConnectPacket, done: (error: Error | null, success: boolean) => void): void {
    const limit = this.options.keepaliveLimit;
    const keepalive = packet.keepalive ?? 0;
    if (limit === undefined || (keepalive > 0 && keepalive <= limit)) {
      done(null, true);
      return;
    }
    // As Mosquitto does: "identifier rejected".
    mqttPacket.writeToStream({ cmd: 'connack', returnCode: 2, sessionPresent: false }, client.conn);
    this.metrics.connectRefused(ConnectRefusalReason.KEEPALIVE_LIMIT);
    done(new Error(`keep alive ${keepalive} is not within the limit of ${limit} seconds`), false);
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const code = this.access.authenticate(username, password);
    if (code === ConnackReturnCode.ACCEPTED) {
      this.principals.set(client, this.access.principalOf(username));
      done(null, true);
      return;
    }
    const error = Object.assign(new Error(code === ConnackReturnCode.NOT_AUTHORIZED ? 'not authorized' : 'bad user name or password'), {
      returnCode: code,
    });
    done(error, null);
  }

  /** Set at login; a client aedes never authenticated (none should publish) counts as anonymous. */
  private principalOf(client: Client): MqttPrincipal {
    return this.principals.get(client) ?? this.access.principalOf(undefined);
  }

  /** Calls `done` once the publish is durable in the log (or needs no storing), or with why it is refused (see PublishRefusal). */
  private storePublish(client: Client | null, packet: PublishPacket, persistence: TesseraPersistence, done: ProduceCallback): void {
    let message: MessageInput | undefined;
    try {
      message = this.messageOf(client, packet, persistence);
    } catch (error) {
      done(error);
      return;
    }
    if (!message) {
      done();
      return;
    }
    const topic = this.broker.topics.get(message.topic);
    if (topic) this.submit(message, topic, packet, client, done);
    else this.broker.topics.getOrAutoCreate(message.topic).then((created) => this.submit(message, created, packet, client, done), done);
  }

  private submit(message: MessageInput, topic: TopicConfig, packet: PublishPacket, client: Client | null, done: ProduceCallback): void {
    message.queueId = this.mapping.queueOf(packet.topic, topic.writeQueueCount);
    this.batcher.submit(message, client?.id ?? '', done);
  }

  /** The log message of `packet` (its queue still to choose); undefined when it is not stored; throws a PublishRefusal. */
  private messageOf(client: Client | null, packet: PublishPacket, persistence: TesseraPersistence): MessageInput | undefined {
    if (packet.topic.startsWith('$SYS/')) throw new PublishRefusal(PublishRefusalCode.NOT_AUTHORIZED, '$SYS topics are reserved for the broker', packet);
    if (ShareFilter.isShared(packet.topic)) {
      throw new PublishRefusal(PublishRefusalCode.TOPIC_NAME_INVALID, '$share/ names shared subscriptions, not a topic to publish to', packet);
    }
    if (client && !this.access.mayPublish(this.principalOf(client), packet.topic)) {
      throw new PublishRefusal(PublishRefusalCode.NOT_AUTHORIZED, `not authorized to publish to "${packet.topic}"`, packet);
    }
    const { payload } = packet;
    if (packet.properties?.payloadFormatIndicator && typeof payload !== 'string' && !isUtf8(payload)) {
      throw new PublishRefusal(PublishRefusalCode.PAYLOAD_FORMAT_INVALID, 'the payload is not UTF-8, though its Payload Format Indicator says it is', packet);
    }
    let name: string | undefined;
    try {
      name = this.mapping.tesseraTopicOf(packet.topic);
    } catch (error) {
      throw new PublishRefusal(PublishRefusalCode.TOPIC_NAME_INVALID, (error as Error).message, packet);
    }
    if (name === undefined) return undefined;
    // A QoS 2 message sent again (after a reconnect) before its PUBREL is in the log already: aedes
    // answers it with a PUBREC only, and storing it again would deliver it twice to other protocols.
    if (client && packet.qos === 2 && persistence.awaitsPubrel(client.id, packet.messageId)) return undefined;
    return {
      topic: name,
      body: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
      properties: {
        [MqttProperties.TOPIC]: packet.topic,
        [MqttProperties.QOS]: String(packet.qos),
        [MqttProperties.RETAIN]: packet.retain ? '1' : '0',
        [MqttProperties.ORIGIN]: '1',
        ...logPropertiesOf(packet),
      },
    };
  }

  private async startWebSocket(
    handle: (stream: Duplex, request?: Parameters<Aedes['handle']>[1]) => void,
    tls: { key: Buffer; cert: Buffer } | undefined,
  ): Promise<Running['wsServer']> {
    const http = tls ? createHttpsServer(tls) : createHttpServer();
    const ws = new WebSocketServer({ server: http, path: this.options.wsPath });
    ws.on('connection', (socket, request) => handle(createWebSocketStream(socket), request));
    try {
      const port = await listen(http, this.options.wsPort!, this.options.host);
      return { http, ws, port };
    } catch (error) {
      ws.close();
      throw error;
    }
  }
}

function listen(server: TcpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function publishInto(aedes: Aedes, packet: PublishPacket): Promise<void> {
  return new Promise((resolve, reject) => aedes.publish(packet, (error) => (error ? reject(error) : resolve())));
}

/** The persistent sessions' stored subscriptions, and those of the clean sessions connected now (aedes stores none of theirs). */
function subscriptionCount(aedes: AedesInternals, persistence: TesseraPersistence): number {
  let count = persistence.subscriptionCount();
  for (const client of Object.values(aedes.clients)) if (client?.clean) count += Object.keys(client.subscriptions).length;
  return count;
}
