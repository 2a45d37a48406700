import { connect, type Socket } from 'node:net';
import mqttPacket = require('mqtt-packet');

/** A bare MQTT 3.1.1 connection driven packet by packet with mqtt-packet, for what real clients never send on purpose. */
export class RawMqttConnection {
  private readonly packets: mqttPacket.Packet[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet) => {
      this.packets.push(packet);
      this.wake?.();
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
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
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const packet = this.packets.shift();
      if (packet) return packet;
      if (this.closed) throw new Error('the broker closed the connection');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no packet within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Drops the connection without a DISCONNECT, as a device losing its network does. */
  drop(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.closed ? resolve() : this.socket.once('close', () => resolve())));
    this.socket.destroy();
    return closed;
  }
}
