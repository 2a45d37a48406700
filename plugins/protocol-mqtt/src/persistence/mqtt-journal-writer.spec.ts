import { MqttJournalReader } from './mqtt-journal-reader';
import { MqttJournalWriter } from './mqtt-journal-writer';

describe('MqttJournalWriter', () => {
  it('writes the documented bytes (golden)', () => {
    const writer = new MqttJournalWriter(300);
    const position = writer.enqueue(['c1', 'c2'], {
      cmd: 'publish',
      topic: 'a/b',
      payload: Buffer.from([0xde, 0xad]),
      qos: 1,
      retain: false,
      messageId: undefined,
      brokerCounter: 42,
    });
    writer.updateMessageId('c1', 'b1', 42, 7);
    writer.clear('c2', undefined);

    const golden = [
      '01 ac02', // version 1, batchSeq 300 (LEB128)
      '05 02 026331 026332', // ENQUEUE to 2 clients: "c1", "c2"
      '09 07', // packet: OBJECT of 7 keys
      '03636d64 06 077075626c697368', // cmd: STRING "publish"
      '05746f706963 06 03612f62', // topic: STRING "a/b"
      '077061796c6f6164 07 02dead', // payload: BYTES de ad
      '03716f73 04 01', // qos: UINT 1
      '0672657461696e 02', // retain: FALSE
      '096d6573736167654964 00', // messageId: UNDEFINED
      '0d62726f6b6572436f756e746572 04 2a', // brokerCounter: UINT 42
      '06 026331 06 026231 04 2a 04 07', // UPDATE_ID "c1": brokerId "b1", brokerCounter 42, messageId 7
      '08 026332 00', // CLEAR "c2": messageId undefined
    ];
    expect(writer.finish().toString('hex')).toBe(golden.join('').replace(/ /g, ''));
    expect(position).toBe(11);
  });

  it('reads back every op, and a packet at the position its write returned', () => {
    const packet = { cmd: 'publish', topic: 't', payload: 'text', qos: 2, messageId: 9, brokerId: 'b', brokerCounter: 3 };
    const writer = new MqttJournalWriter(1);
    writer.retain({ topic: 'r', payload: Buffer.from('x') });
    writer.subscribe('c', [['s/+', { qos: 1, rh: 0, rap: true, nl: false, subscriptionIdentifier: 5 }]]);
    writer.unsubscribe('c', ['s/+', 'u']);
    writer.cleanSubscriptions('c');
    const enqueued = writer.enqueue(['c'], packet);
    writer.updateMessageId('c', 'b', 3, 10);
    const replaced = writer.replace('c', { cmd: 'pubrel', messageId: 10 });
    writer.clear('c', 10);
    writer.putIncoming('c', packet);
    writer.deleteIncoming('c', 9);
    writer.cleanIncoming('c');
    writer.putWill('c', { topic: 'will', payload: Buffer.alloc(0), brokerId: 'b', clientId: 'c' });
    writer.deleteWill('c');
    const body = writer.finish();

    const reader = new MqttJournalReader(body);
    const ops = [];
    for (let op = reader.next(); op; op = reader.next()) ops.push(op);

    expect(reader.batchSeq).toBe(1);
    expect(ops.map((op) => op.op)).toEqual([
      'RETAIN', 'SUBSCRIBE', 'UNSUBSCRIBE', 'CLEAN_SUBS', 'ENQUEUE', 'UPDATE_ID', 'REPLACE',
      'CLEAR', 'INCOMING_PUT', 'INCOMING_DEL', 'INCOMING_CLEAN', 'WILL_PUT', 'WILL_DEL',
    ]);
    expect(ops[1]).toEqual({ op: 'SUBSCRIBE', clientId: 'c', subscriptions: [['s/+', { qos: 1, rh: 0, rap: true, nl: false, subscriptionIdentifier: 5 }]] });
    expect(ops[4]).toEqual({ op: 'ENQUEUE', clientIds: ['c'], packet, position: enqueued });
    expect(ops[5]).toEqual({ op: 'UPDATE_ID', clientId: 'c', brokerId: 'b', brokerCounter: 3, messageId: 10 });
    expect(MqttJournalReader.packetAt(body, enqueued)).toEqual(packet);
    expect(MqttJournalReader.packetAt(body, replaced)).toEqual({ cmd: 'pubrel', messageId: 10 });
  });

  it('keeps undefined fields, Buffers and numbers of any kind in nested MQTT 5 properties, and drops callbacks', () => {
    const packet = {
      cmd: 'publish',
      messageId: undefined,
      messageExpiry: 1.5,
      properties: { correlationData: Buffer.from([1, 2]), userProperties: { a: ['x', 'y'] }, contentType: null, offset: -3 },
      writeCallback: () => undefined,
    };
    const writer = new MqttJournalWriter(2);
    const position = writer.enqueue(['c'], packet);

    const read = MqttJournalReader.packetAt(writer.finish(), position);

    const { writeCallback: _dropped, ...data } = packet;
    expect(read).toStrictEqual(data);
    expect(Object.keys(read)).toEqual(['cmd', 'messageId', 'messageExpiry', 'properties']);
  });

  it('rolls back an op that cannot be encoded, leaving the ops before it intact', () => {
    const writer = new MqttJournalWriter(3);
    writer.deleteWill('kept');
    const mark = writer.mark();
    expect(() => writer.putWill('bad', { payload: Buffer.alloc(0), size: 10n } as never)).toThrow(TypeError);
    writer.rollback(mark);

    const reader = new MqttJournalReader(writer.finish());
    expect(reader.next()).toEqual({ op: 'WILL_DEL', clientId: 'kept' });
    expect(reader.next()).toBeUndefined();
  });

  it('refuses a message of an unknown version or cut short', () => {
    expect(() => new MqttJournalReader(Buffer.from('0201', 'hex'))).toThrow('unknown mqtt journal version 2');
    const writer = new MqttJournalWriter(4);
    writer.putWill('c', { topic: 'will' });
    const body = writer.finish();
    expect(() => new MqttJournalReader(body.subarray(0, body.length - 2)).next()).toThrow(/ends in the middle/);
  });
});
