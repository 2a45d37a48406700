import { connect, type Socket } from 'node:net';
import { generate, parser as mqttParser, type IPublishPacket, type Packet } from 'mqtt-packet';

const CONNACK_WAIT_MS = 10_000;

export interface RawMqtt5ConnectOptions {
  /** CONNECT properties (receiveMaximum, topicAliasMaximum, ...). */
  properties?: Record<string, number>;
  login?: { username: string; password: string };
  /** Seconds; 0 turns keep alive off. Default 30. */
  keepalive?: number;
}

/** A bare TCP connection speaking MQTT 5 packet by packet: for what mqtt.js will not do (withhold acks, break limits). */
export class RawMqtt5Client {
  readonly packets: Packet[] = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    const parser = mqttParser({ protocolVersion: 5 });
    parser.on('packet', (packet) => this.packets.push(packet));
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  /** Connects to 127.0.0.1 (clean start) and waits (bounded) for the CONNACK. */
  static async connect(port: number, clientId: string, options: RawMqtt5ConnectOptions = {}): Promise<RawMqtt5Client> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawMqtt5Client(socket);
    const { properties = {}, login, keepalive = 30 } = options;
    const credentials = login ? { username: login.username, password: Buffer.from(login.password) } : {};
    client.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, clientId, keepalive, properties, ...credentials });
    const deadline = Date.now() + CONNACK_WAIT_MS;
    while (!client.packets.some((packet) => packet.cmd === 'connack')) {
      if (Date.now() > deadline || client.closed) {
        client.close();
        throw new Error(`no CONNACK within ${CONNACK_WAIT_MS} ms (got ${JSON.stringify(client.packets)})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return client;
  }

  publishes(): IPublishPacket[] {
    return this.packets.filter((packet): packet is IPublishPacket => packet.cmd === 'publish');
  }

  send(packet: Packet): void {
    this.socket.write(generate(packet, { protocolVersion: 5 }));
  }

  close(): void {
    this.socket.destroy();
  }
}
