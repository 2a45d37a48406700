import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { inject, injectable } from 'inversify';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Broker, BrokerSettings, Logger, type Endpoint, type ProtocolAdapter } from '@tessera/kernel';
import { ConnackReturnCode, MqttAccessControl } from './mqtt-access-control';
import { MqttLogBridge } from './mqtt-log-bridge';
import { MqttPacketSizeGuard } from './mqtt-packet-size-guard';
import { MqttProperties } from './mqtt-properties';
import { MqttProtocolOptions } from './mqtt-protocol-options';
import { MqttPublishBatcher } from './mqtt-publish-batcher';
import { MqttTopicMapping } from './mqtt-topic-mapping';
import { createTesseraPersistence } from './persistence';
import { RouteBeforePuback } from './route-before-puback';

/** What a running adapter holds; absent while stopped. */
interface Running {
  aedes: Aedes;
  bridge: MqttLogBridge;
  tcpServer: TcpServer;
  tcpPort: number;
  wsServer?: { http: HttpServer; ws: WebSocketServer; port: number };
}

/**
 * MQTT 3.1/3.1.1 over TCP (or TLS) and WebSocket, on aedes. Every PUBLISH is stored in the
 * kernel's log before aedes acknowledges it (aedes' authorizePublish hook), and a bridge
 * republishes what other protocols write to MQTT subscribers.
 */
@injectable()
export class MqttProtocolAdapter implements ProtocolAdapter {
  readonly protocol = 'mqtt';
  private running: Running | undefined;
  private readonly mapping: MqttTopicMapping;
  private readonly access: MqttAccessControl;
  private readonly batcher: MqttPublishBatcher;
  private readonly usernames = new WeakMap<Client, string>();

  constructor(
    @inject(MqttProtocolOptions) private readonly options: MqttProtocolOptions,
    @inject(Broker) private readonly broker: Broker,
    @inject(BrokerSettings) private readonly settings: BrokerSettings,
    @inject(Logger) private readonly logger: Logger,
  ) {
    this.mapping = new MqttTopicMapping(options);
    this.access = new MqttAccessControl(options);
    this.batcher = new MqttPublishBatcher(broker);
  }

  async start(): Promise<void> {
    // Sessions, retained messages, inflight packets and wills live in Tessera's log too.
    const persistence = createTesseraPersistence({ broker: this.broker, logger: this.logger });
    await persistence.open();
    const routing = new RouteBeforePuback();
    const aedes = await Aedes.createBroker({
      id: this.settings.brokerName,
      persistence,
      authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => {
        this.storePublish(client, packet)
          .then(() => (client && packet.qos === 1 ? routing.route(packet, client) : undefined))
          .then(() => done(null), (error: Error) => done(error));
      },
      authorizeSubscribe: (client, subscription, done) => {
        done(null, this.access.maySubscribe(this.usernames.get(client), subscription.topic) ? subscription : null);
      },
    });
    routing.install(aedes);
    aedes.on('clientError', (client, error) => this.logger.debug({ err: error, clientId: client.id }, 'MQTT client closed on error'));
    aedes.on('connectionError', (client, error) => this.logger.debug({ err: error, clientId: client.id }, 'MQTT connection failed'));
    const bridge = new MqttLogBridge(this.broker, this.mapping, (packet) => publishInto(aedes, packet), this.logger, this.options.bridgeRescanMs);
    aedes.on('subscribe', (subscriptions) => subscriptions.forEach((subscription) => bridge.follow(subscription.topic)));

    const handle = (stream: Duplex, request?: Parameters<Aedes['handle']>[1]) =>
      aedes.handle(new MqttPacketSizeGuard(stream, this.options.maxPacketSize), request);
    const tls = this.options.tls && { key: readFileSync(this.options.tls.keyFile), cert: readFileSync(this.options.tls.certFile) };
    const tcpServer = tls ? createTlsServer(tls, (socket) => handle(socket)) : createTcpServer({ noDelay: true }, (socket) => handle(socket));
    try {
      const tcpPort = await listen(tcpServer, this.options.port, this.options.host);
      const wsServer = this.options.wsPort === null ? undefined : await this.startWebSocket(handle, tls || undefined);
      bridge.start();
      this.running = { aedes, bridge, tcpServer, tcpPort, wsServer };
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
    const closed = [new Promise<void>((resolve) => running.tcpServer.close(() => resolve()))];
    if (running.wsServer) {
      const { http, ws } = running.wsServer;
      ws.close();
      closed.push(new Promise<void>((resolve) => http.close(() => resolve())));
    }
    await running.bridge.stop();
    await new Promise<void>((resolve) => running.aedes.close(() => resolve()));
    running.wsServer?.http.closeAllConnections();
    await Promise.all(closed);
  }

  endpoints(): Endpoint[] {
    if (!this.running) return [];
    const endpoints: Endpoint[] = [{ protocol: 'mqtt', host: this.options.host, port: this.running.tcpPort }];
    if (this.running.wsServer) endpoints.push({ protocol: 'mqtt-ws', host: this.options.host, port: this.running.wsServer.port });
    return endpoints;
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const code = this.access.authenticate(username, password);
    if (code === ConnackReturnCode.ACCEPTED) {
      if (username !== undefined) this.usernames.set(client, username);
      done(null, true);
      return;
    }
    const error = Object.assign(new Error(code === ConnackReturnCode.NOT_AUTHORIZED ? 'not authorized' : 'bad user name or password'), {
      returnCode: code,
    });
    done(error, null);
  }

  /** Resolves once the publish is durable in the log (or needs no storing); rejects to refuse it, which closes the client. */
  private async storePublish(client: Client | null, packet: PublishPacket): Promise<void> {
    if (packet.topic.startsWith('$SYS/')) throw new Error('$SYS topics are reserved for the broker');
    if (client && !this.access.mayPublish(this.usernames.get(client), packet.topic)) {
      throw new Error(`not authorized to publish to "${packet.topic}"`);
    }
    const name = this.mapping.tesseraTopicOf(packet.topic);
    if (name === undefined) return;
    const topic = this.broker.topics.get(name) ?? (await this.broker.topics.getOrAutoCreate(name));
    await this.batcher.publish(
      {
        topic: name,
        queueId: this.mapping.queueOf(packet.topic, topic.writeQueueCount),
        body: typeof packet.payload === 'string' ? Buffer.from(packet.payload, 'utf8') : packet.payload,
        properties: {
          [MqttProperties.TOPIC]: packet.topic,
          [MqttProperties.QOS]: String(packet.qos),
          [MqttProperties.RETAIN]: packet.retain ? '1' : '0',
          [MqttProperties.ORIGIN]: '1',
        },
      },
      client?.id ?? '',
    );
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
