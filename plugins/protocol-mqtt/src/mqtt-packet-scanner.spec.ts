import { generate, type Packet } from 'mqtt-packet';
import { emptyTrafficTally, MqttPacketScanner } from './mqtt-packet-scanner';

function publish(qos: 0 | 1 | 2, payload: Buffer): Packet {
  return { cmd: 'publish', topic: 'a/b', payload, qos, messageId: qos > 0 ? 7 : undefined, retain: false, dup: false };
}

describe('MqttPacketScanner', () => {
  it('tallies packets, and PUBLISH packets by QoS, whatever the chunking, skipping bodies that look like headers', () => {
    // A payload of 0x32 bytes (a QoS 1 PUBLISH's first byte) must not be taken for a header.
    const looksLikeHeaders = Buffer.alloc(300, 0x32);
    const packets: Array<[Packet, number]> = [
      [publish(0, looksLikeHeaders), 4],
      [publish(1, Buffer.from('x')), 5],
      [publish(2, looksLikeHeaders), 5],
      [{ cmd: 'puback', messageId: 7 }, 4],
      [{ cmd: 'pingresp' }, 4],
      [publish(1, looksLikeHeaders), 5],
    ];
    const stream = Buffer.concat(packets.map(([packet, version]) => generate(packet, { protocolVersion: version })));
    for (const chunkSize of [1, 3, 7, stream.length]) {
      const scanner = new MqttPacketScanner();
      const tally = emptyTrafficTally();
      for (let i = 0; i < stream.length; i += chunkSize) expect(scanner.scan(stream.subarray(i, i + chunkSize), tally)).toBeUndefined();
      expect(tally.publishes).toEqual([1, 2, 1]);
      expect(tally.packets).toBe(6);
      expect(tally.bytes).toBe(stream.length);
    }
  });

  it('tells a packet over the limit from a malformed remaining length', () => {
    expect(new MqttPacketScanner(100).scan(generate(publish(0, Buffer.alloc(200))))).toMatchObject({ tooLarge: true });
    expect(new MqttPacketScanner(100).scan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toMatchObject({ tooLarge: false });
  });
});
