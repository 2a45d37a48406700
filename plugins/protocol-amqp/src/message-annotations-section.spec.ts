import { SystemProperties } from '@tessera/kernel';
import rhea from 'rhea';
import { amqpMessageLayout } from './amqp-message-layout';
import { AmqpProperties } from './amqp-properties';
import { DeadLetterAnnotation, messageAnnotationsSection } from './message-annotations-section';

/** The message-annotations section of a message with these annotations, as a publisher encodes it. */
function annotationsSection(annotations: Record<string, unknown>): Buffer {
  const encoded = rhea.message.encode({ message_annotations: annotations, body: 'x' });
  const { start, end } = amqpMessageLayout(encoded).messageAnnotations!;
  return encoded.subarray(start, end);
}

const annotationsOf = (section: Buffer) => rhea.message.decode(Buffer.concat([section, rhea.message.encode({ body: 'x' })])).message_annotations;

const deadLetter = {
  [SystemProperties.FAILURE_COUNT]: '3',
  [SystemProperties.FAILURE_REASON]: 'amqp:rejected: bad',
  [SystemProperties.REAL_TOPIC]: 'orders',
  [SystemProperties.ORIGIN_MSG_ID]: 'ABC123',
};

describe('messageAnnotationsSection', () => {
  it('returns the stored section byte for byte for a message that is not a dead letter, and none when there is none', () => {
    const section = annotationsSection({ 'x-opt-a': 1 });
    expect(messageAnnotationsSection({ [AmqpProperties.ANNOTATIONS]: section.toString('base64') })!.equals(section)).toBe(true);
    expect(messageAnnotationsSection({ color: 'red' })).toBeUndefined();
  });

  it("adds a dead letter's reason and origin, to the publisher's annotations or alone", () => {
    const merged = messageAnnotationsSection({ ...deadLetter, [AmqpProperties.ANNOTATIONS]: annotationsSection({ 'x-opt-a': 'kept' }).toString('base64') });
    expect(annotationsOf(merged!)).toEqual({
      'x-opt-a': 'kept',
      [DeadLetterAnnotation.REASON]: 'amqp:rejected: bad',
      [DeadLetterAnnotation.ORIGINAL_ADDRESS]: 'orders',
      [DeadLetterAnnotation.ORIGINAL_MESSAGE_ID]: 'ABC123',
      [DeadLetterAnnotation.DELIVERY_FAILURES]: 3,
    });
    expect(annotationsOf(messageAnnotationsSection(deadLetter)!)).toMatchObject({ [DeadLetterAnnotation.DELIVERY_FAILURES]: 3 });
  });

  it('reads a publisher section encoded as a map8 (as proton encodes small maps)', () => {
    const map8 = Buffer.from([0x00, 0x53, 0x72, 0xc1, 0x06, 0x02, 0xa3, 0x01, 0x6b, 0x52, 0x05]);
    const section = messageAnnotationsSection({ ...deadLetter, [AmqpProperties.ANNOTATIONS]: map8.toString('base64') })!;
    expect(annotationsOf(section)).toMatchObject({ k: 5, [DeadLetterAnnotation.ORIGINAL_ADDRESS]: 'orders' });
  });

  it('replaces dead-letter annotations a message already carried (dead-lettered again), keeping one of each', () => {
    const earlier = annotationsSection({ [DeadLetterAnnotation.REASON]: 'old', 'x-opt-b': 2 });
    const section = messageAnnotationsSection({ ...deadLetter, [AmqpProperties.ANNOTATIONS]: earlier.toString('base64') })!;
    expect(annotationsOf(section)).toMatchObject({ [DeadLetterAnnotation.REASON]: 'amqp:rejected: bad', 'x-opt-b': 2 });
    expect(section.toString('latin1').split(DeadLetterAnnotation.REASON)).toHaveLength(2);
  });
});
