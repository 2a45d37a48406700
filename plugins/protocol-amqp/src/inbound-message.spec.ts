import type { StoredMessage } from '@tessera/kernel';
import rhea, { type Message } from 'rhea';
import { amqpMessageLayout } from './amqp-message-layout';
import { AmqpProperties } from './amqp-properties';
import { inboundMessage } from './inbound-message';
import { outboundMessage } from './outbound-message';

const stored = (input: ReturnType<typeof inboundMessage>, reconsumeTimes = 0): StoredMessage => ({
  msgId: 'ID1',
  topic: input.topic,
  queueId: 0,
  queueOffset: 0,
  commitLogOffset: 0,
  storeSize: 0,
  body: Buffer.from(input.body),
  tag: input.tag,
  keys: [],
  properties: input.properties ?? {},
  bornTimestamp: 1_700_000_000_000,
  storeTimestamp: 1_700_000_000_001,
  flag: 0,
  reconsumeTimes,
});

const decode = (raw: Buffer) => rhea.message.decode(raw) as unknown as Message;

/** The bare message of an encoded one: what follows the header and annotations. */
const bareOf = (encoded: Buffer) => encoded.subarray(amqpMessageLayout(encoded).bareStart);

describe('inboundMessage / outboundMessage', () => {
  it('stores a data section as the body and maps the AMQP fields to properties', () => {
    const raw = rhea.message.encode({
      durable: true,
      message_id: 'm-1',
      correlation_id: 'c-9',
      reply_to: '/queues/replies',
      to: 'orders',
      subject: 'created',
      content_type: 'application/json',
      application_properties: { region: 'eu', count: 3, urgent: true, nothing: null },
      body: rhea.message.data_section(Buffer.from('{"id":1}')),
    });
    const input = inboundMessage(raw, decode(raw), 'orders');
    expect(input.body.toString()).toBe('{"id":1}');
    expect(input.tag).toBe('created');
    expect(input.properties).toMatchObject({
      region: 'eu',
      count: '3',
      urgent: 'true',
      [AmqpProperties.MESSAGE_ID]: 'm-1',
      [AmqpProperties.CORRELATION_ID]: 'c-9',
      [AmqpProperties.REPLY_TO]: '/queues/replies',
      [AmqpProperties.TO]: 'orders',
      [AmqpProperties.CONTENT_TYPE]: 'application/json',
      [AmqpProperties.DURABLE]: '1',
      [AmqpProperties.BODY]: 'data',
    });
    expect(input.properties).not.toHaveProperty('nothing');
  });

  it.each([
    ['a string value', { body: 'héllo', application_properties: { big: 2 ** 40 } }, 'string', 'héllo'],
    ['a binary value', { body: Buffer.from([1, 2, 3]) }, 'binary', '\u0001\u0002\u0003'],
    ['a map value', { body: { a: 1 } }, 'sections', undefined],
    ['a sequence', { body: rhea.message.sequence_section([1, 'x']) }, 'sections', undefined],
    ['two data sections', { body: rhea.message.data_sections([Buffer.from('a'), Buffer.from('b')]) }, 'sections', undefined],
    ['no body', { subject: 's' }, 'sections', undefined],
  ])('keeps the bare message of %s byte for byte through store and delivery', (_, fields, kind, payload) => {
    const raw = rhea.message.encode({ message_annotations: { 'x-opt-a': 'b' }, ...fields });
    const input = inboundMessage(raw, decode(raw), 't');
    expect(input.properties![AmqpProperties.BODY]).toBe(kind);
    if (payload !== undefined) expect(input.body.toString('utf8')).toBe(payload);
    const delivered = outboundMessage(stored(input), 1);
    expect(bareOf(delivered).equals(bareOf(raw))).toBe(true);
    expect(rhea.message.decode(delivered).message_annotations).toEqual({ 'x-opt-a': 'b' });
  });

  it('counts failed deliveries and retries in header.delivery-count', () => {
    const raw = rhea.message.encode({ body: 'x' });
    const input = inboundMessage(raw, decode(raw), 't');
    expect(rhea.message.decode(outboundMessage(stored(input), 1)).delivery_count).toBe(0);
    expect(rhea.message.decode(outboundMessage(stored(input), 3)).delivery_count).toBe(2);
    expect(rhea.message.decode(outboundMessage(stored(input, 2), 2)).delivery_count).toBe(3);
  });

  it('builds a bare message for a message another protocol produced: body as data, properties as fields', () => {
    const message = stored({
      topic: 't',
      body: Buffer.from('plain'),
      tag: 'tagA',
      properties: { color: 'red', 'mqtt.topic': 't/x', __REAL_TOPIC: 'hidden', [AmqpProperties.CORRELATION_ID]: 'c1' },
    });
    const decoded = rhea.message.decode(outboundMessage(message, 1));
    expect(decoded.body.content.toString()).toBe('plain');
    expect(decoded.subject).toBe('tagA');
    expect(decoded.message_id).toBe('ID1');
    expect(decoded.correlation_id).toBe('c1');
    expect(decoded.durable).toBe(true);
    expect(decoded.application_properties).toEqual({ color: 'red', 'mqtt.topic': 't/x' });
  });

  it('encodes each message on its own: one encoding does not change another, a big one included', () => {
    const small = rhea.message.encode({ message_id: 's', body: 'small' });
    const big = rhea.message.encode({ message_id: 'b', body: rhea.message.data_section(Buffer.alloc(2 * 1024 * 1024, 0x5a)) });
    const smallOut = outboundMessage(stored(inboundMessage(small, decode(small), 't')), 1);
    const smallCopy = Buffer.from(smallOut);
    const bigOut = outboundMessage(stored(inboundMessage(big, decode(big), 't')), 1);
    outboundMessage(stored(inboundMessage(small, decode(small), 't')), 2);
    expect(smallOut.equals(smallCopy)).toBe(true);
    expect(bareOf(smallOut).equals(bareOf(small))).toBe(true);
    expect(bareOf(bigOut).equals(bareOf(big))).toBe(true);
  });

  it('refuses bytes that are not message sections with amqp:decode-error', () => {
    const garbage = Buffer.from([0x00, 0x53, 0x75, 0xb0, 0xff, 0xff, 0xff, 0xff, 1]);
    expect(() => inboundMessage(garbage, {} as never, 't')).toThrow(expect.objectContaining({ condition: 'amqp:decode-error' }));
  });
});
