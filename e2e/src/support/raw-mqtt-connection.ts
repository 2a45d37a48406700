import { connect, type Socket } from 'node:net';
import mqttPacket = require('mqtt-packet');
import { Arrivals } from './arrivals';

/** A bare MQTT 3.1.1 connection driven packet by packet with mqtt-packet, for what real clients never send on purpose. */
export class RawMqttConnection {
  private readonly packets = new Arrivals<mqttPacket.Packet>();

  private constructor(private readonly socket: Socket) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet) => this.packets.push(packet));
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.packets.close());
  }

  static open(port: number): Promise<RawMqttConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new RawMqttConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(packet: mqttPacket.Packet): void {
    this.socket.write(mqttPacket.generate(packet, { protocolVersion: 4 }));
  }

  /** The next packet the broker sent; throws once it hung up or after `timeoutMs`. */
  async next(timeoutMs: number): Promise<mqttPacket.Packet> {
    const packet = await this.packets.next(timeoutMs);
    if (packet === 'closed') throw new Error('the broker closed the connection');
    if (packet === 'silent') throw new Error(`no packet within ${timeoutMs} ms`);
    return packet;
  }

  /** Drops the connection without a DISCONNECT, as a device losing its network does. */
  drop(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.packets.closed ? resolve() : this.socket.once('close', () => resolve())));
    this.socket.destroy();
    return closed;
  }
}
