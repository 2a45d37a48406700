import type { MessageInput } from '@tessera/kernel';
import type { Message } from 'rhea';
import { amqpMessageLayout, AmqpMessageLayoutError } from './amqp-message-layout';
import { AmqpProperties, isReservedProperty } from './amqp-properties';
import { AmqpRefusal } from './amqp-refusal';
import { deliveryDelayOf } from './delivery-delay';

/** A stored property value holds at most 65,535 bytes; base64 takes 4 for every 3. */
export const MAX_BARE_HEAD_BYTES = 49_000;

/**
 * What the log stores for an AMQP message: the payload as the body (what MQTT and native
 * consumers see), the bare message's bytes before the payload as `amqp.bare-head`, and the
 * AMQP fields other protocols care about as plain properties; delivery-time and delivery-delay
 * annotations become the kernel's delay properties. `raw` is the transfer's payload
 * (the annotated message), `message` rhea's decoding of it.
 */
export function inboundMessage(raw: Buffer, message: Message, topic: string): MessageInput {
  let layout;
  try {
    layout = amqpMessageLayout(raw);
  } catch (error) {
    if (error instanceof AmqpMessageLayoutError) throw new AmqpRefusal('amqp:decode-error', error.message);
    throw error;
  }
  const head = raw.subarray(layout.bareStart, layout.payload.start);
  if (head.length > MAX_BARE_HEAD_BYTES) {
    throw new AmqpRefusal(
      'amqp:invalid-field',
      `the message's properties and application-properties take ${head.length} bytes; at most ${MAX_BARE_HEAD_BYTES} are stored`,
    );
  }
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.application_properties ?? {})) {
    const text = propertyText(value);
    if (text !== undefined && !isReservedProperty(name)) properties[name] = text;
  }
  setIfDefined(properties, AmqpProperties.MESSAGE_ID, idText(message.message_id));
  setIfDefined(properties, AmqpProperties.CORRELATION_ID, idText(message.correlation_id));
  setIfDefined(properties, AmqpProperties.REPLY_TO, message.reply_to);
  setIfDefined(properties, AmqpProperties.TO, message.to);
  setIfDefined(properties, AmqpProperties.CONTENT_TYPE, message.content_type);
  if (message.durable !== undefined) properties[AmqpProperties.DURABLE] = message.durable ? '1' : '0';
  setIfDefined(properties, AmqpProperties.PRIORITY, message.priority === undefined ? undefined : String(message.priority));
  setIfDefined(properties, AmqpProperties.TTL, message.ttl === undefined ? undefined : String(message.ttl));
  if (message.absolute_expiry_time instanceof Date) properties[AmqpProperties.ABSOLUTE_EXPIRY_TIME] = String(message.absolute_expiry_time.getTime());
  if (layout.messageAnnotations) {
    properties[AmqpProperties.ANNOTATIONS] = raw.subarray(layout.messageAnnotations.start, layout.messageAnnotations.end).toString('base64');
  }
  Object.assign(properties, deliveryDelayOf(message.message_annotations));
  properties[AmqpProperties.BODY] = layout.bodyKind;
  properties[AmqpProperties.BARE_HEAD] = head.toString('base64');
  return {
    topic,
    body: raw.subarray(layout.payload.start, layout.payload.end),
    tag: typeof message.subject === 'string' && message.subject.length > 0 ? message.subject : undefined,
    properties,
    bornTimestamp: message.creation_time instanceof Date ? message.creation_time.getTime() : undefined,
  };
}

function setIfDefined(properties: Record<string, string>, name: string, value: string | undefined): void {
  if (value !== undefined && value !== null) properties[name] = value;
}

function propertyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return String(value.getTime());
  return undefined;
}

function idText(id: unknown): string | undefined {
  if (typeof id === 'string') return id;
  if (typeof id === 'number' || typeof id === 'bigint') return String(id);
  if (Buffer.isBuffer(id)) return id.toString('hex');
  return undefined;
}
