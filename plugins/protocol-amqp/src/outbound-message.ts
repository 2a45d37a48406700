import type { StoredMessage } from '@tessera/kernel';
import rhea from 'rhea';
import { SectionCode } from './amqp-message-layout';
import { writeHeaderSection } from './amqp-header-section';
import { AmqpProperties, isReservedProperty } from './amqp-properties';
import { messageAnnotationsSection } from './message-annotations-section';
import { expiryOf } from './message-expiry';
import { rheaCodec } from './rhea-codec';
import { createScratchWriter, takeWritten, type ScratchWriter } from './scratch-writer';

const { sections } = rheaCodec;
const scratch = createScratchWriter();

/**
 * The annotated message a consumer link sends for a stored message: a header carrying the
 * delivery count (failed deliveries before this one) and what is left of its ttl at `now`, the
 * message annotations as received (a dead letter's with its origin added, see
 * DeadLetterAnnotation), and the bare message, byte for byte as published when an AMQP client
 * published it, else built from the message's properties, tag and body. A caller that already
 * has the message's expiryOf passes it as `expiresAt`.
 */
export function outboundMessage(message: StoredMessage, deliveryCount: number, now = Date.now(), expiresAt = expiryOf(message)): Buffer {
  const properties = message.properties;
  const writer = scratch;
  const priority = properties[AmqpProperties.PRIORITY];
  const hasTtl = properties[AmqpProperties.TTL] !== undefined && expiresAt !== undefined;
  writeHeaderSection(writer, {
    durable: properties[AmqpProperties.DURABLE] !== '0',
    priority: priority === undefined ? undefined : Number(priority),
    // What is left of it: an intermediary counts down the time it held the message (3.2.1).
    ttl: hasTtl ? Math.max(1, expiresAt - now) : undefined,
    deliveryCount: message.reconsumeTimes + Math.max(0, deliveryCount - 1),
  });
  const annotations = messageAnnotationsSection(properties);
  if (annotations !== undefined) writer.write_bytes(annotations);
  const head = properties[AmqpProperties.BARE_HEAD];
  if (head !== undefined) {
    const headBytes = Buffer.byteLength(head, 'base64');
    writer.ensure(writer.position + headBytes);
    writer.position += writer.buffer.write(head, writer.position, headBytes, 'base64');
    writer.write_bytes(message.body);
  } else {
    writeBareMessage(writer, message);
  }
  return takeWritten(writer);
}

/** A bare message for a message another protocol produced: its properties as AMQP fields, its body as one data section. */
function writeBareMessage(writer: ScratchWriter, message: StoredMessage): void {
  const properties = message.properties;
  const fields: Record<string, unknown> = {
    message_id: properties[AmqpProperties.MESSAGE_ID] ?? message.msgId,
    creation_time: new Date(message.bornTimestamp),
  };
  if (message.tag !== undefined) fields.subject = message.tag;
  if (properties[AmqpProperties.TO] !== undefined) fields.to = properties[AmqpProperties.TO];
  if (properties[AmqpProperties.REPLY_TO] !== undefined) fields.reply_to = properties[AmqpProperties.REPLY_TO];
  if (properties[AmqpProperties.CORRELATION_ID] !== undefined) fields.correlation_id = properties[AmqpProperties.CORRELATION_ID];
  if (properties[AmqpProperties.CONTENT_TYPE] !== undefined) fields.content_type = properties[AmqpProperties.CONTENT_TYPE];
  writer.write(sections.properties(fields).described());
  const application = Object.fromEntries(Object.entries(properties).filter(([name]) => !isReservedProperty(name)));
  if (Object.keys(application).length > 0) {
    writer.write(rhea.types.described_nc(rhea.types.wrap_ulong(SectionCode.APPLICATION_PROPERTIES), rhea.types.wrap_map(application)));
  }
  writer.write(sections.data_section(message.body).described());
}
