import mqttPacket = require('mqtt-packet');
import { encodeV4Packet } from './encode-v4-packet';

/** What mqtt-packet's own writer gives for `packet` as 3.1.1 (`generate` uses it whatever writeToStream is hooked to). */
function mqttPacketBytes(packet: object): Buffer {
  return mqttPacket.generate(packet as mqttPacket.Packet);
}

describe('encodeV4Packet', () => {
  const cases: Array<[string, object]> = [
    ['QoS 0 publish', { cmd: 'publish', topic: 'sensors/room1/temp', payload: Buffer.from('21.5'), qos: 0, retain: false, dup: false }],
    ['QoS 1 retained dup publish', { cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 1, messageId: 65535, retain: true, dup: true }],
    ['QoS 2 publish with a string payload and a multi-byte topic', { cmd: 'publish', topic: 'zürich/東京', payload: 'grüße', qos: 2, messageId: 1 }],
    ['empty payload', { cmd: 'publish', topic: 't', payload: Buffer.alloc(0), qos: 1, messageId: 9 }],
    ['payload needing a 2-byte remaining length', { cmd: 'publish', topic: 't', payload: Buffer.alloc(200, 7), qos: 1, messageId: 300 }],
    ['payload needing a 3-byte remaining length', { cmd: 'publish', topic: 't', payload: Buffer.alloc(20_000, 5), qos: 0 }],
    ['puback', { cmd: 'puback', messageId: 7 }],
    ['pubrec', { cmd: 'pubrec', messageId: 258 }],
    ['pubrel', { cmd: 'pubrel', messageId: 3 }],
    ['pubcomp', { cmd: 'pubcomp', messageId: 0 }],
  ];

  it.each(cases)('%s: the same bytes as mqtt-packet', (_name, packet) => {
    expect(encodeV4Packet(packet)).toEqual(mqttPacketBytes(packet));
  });

  it('never sets DUP on a PUBREL (its flags are fixed, 3.6.1)', () => {
    expect(encodeV4Packet({ cmd: 'pubrel', messageId: 3, dup: true })).toEqual(Buffer.from([0x62, 0x02, 0x00, 0x03]));
  });

  it('leaves other packets and ones it does not take to mqtt-packet', () => {
    expect(encodeV4Packet({ cmd: 'suback', messageId: 1, granted: [0] } as object)).toBeUndefined();
    expect(encodeV4Packet({ cmd: 'pingresp' })).toBeUndefined();
    expect(encodeV4Packet({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 1 })).toBeUndefined();
    expect(encodeV4Packet({ cmd: 'publish', topic: '', payload: Buffer.from('x'), qos: 0 })).toBeUndefined();
    expect(encodeV4Packet({ cmd: 'publish', topic: 7, payload: Buffer.from('x'), qos: 0 })).toBeUndefined();
    expect(encodeV4Packet({ cmd: 'puback', messageId: 70_000 })).toBeUndefined();
  });
});
