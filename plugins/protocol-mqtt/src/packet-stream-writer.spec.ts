import { PassThrough } from 'node:stream';
import mqttPacket = require('mqtt-packet');
import { PacketStreamWriter } from './packet-stream-writer';

describe('PacketStreamWriter', () => {
  it("sends what aedes writes to a routed stream to its handler, and leaves other streams' and v5 writes to mqtt-packet", async () => {
    // mqtt-packet corks a stream until the next tick.
    const uncorked = () => new Promise((resolve) => setImmediate(resolve));
    const routed = new PassThrough();
    const plain = new PassThrough();
    const seen: string[] = [];
    PacketStreamWriter.route(routed, {
      outbound: (packet) => {
        seen.push(packet.cmd as string);
        return PacketStreamWriter.writeWith({ reasonCode: 0, ...packet }, routed, { protocolVersion: 5 });
      },
    });
    // aedes' lib/write.js: mqtt.writeToStream(packet, client.conn), no options.
    mqttPacket.writeToStream({ cmd: 'puback', messageId: 7 }, routed as never);
    mqttPacket.writeToStream({ cmd: 'puback', messageId: 7 }, plain as never);
    expect(seen).toEqual(['puback']);
    await uncorked();
    // 3.1.1 PUBACK: 4 bytes; v5 with reason code 0 and no properties may be the same 4 bytes (3.4.2.1).
    expect(plain.read()).toEqual(Buffer.from([0x40, 0x02, 0x00, 0x07]));
    expect(routed.read()).toEqual(Buffer.from([0x40, 0x02, 0x00, 0x07]));
    mqttPacket.writeToStream({ cmd: 'puback', messageId: 7, reasonCode: 0x87 }, routed as never);
    expect(seen).toEqual(['puback', 'puback']);
    await uncorked();
    expect(routed.read()).toEqual(Buffer.from([0x40, 0x04, 0x00, 0x07, 0x87, 0x00]));
  });
});
