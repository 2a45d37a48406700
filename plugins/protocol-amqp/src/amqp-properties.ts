/** Message properties the AMQP front reads and writes (other protocols see them as ordinary properties). */
export const AmqpProperties = {
  /**
   * Base64 of the bare message's bytes before the payload (properties, application-properties
   * and the body section's own header): the stored body follows it, so head + body is the bare
   * message exactly as the publisher encoded it.
   */
  BARE_HEAD: 'amqp.bare-head',
  /** How the body is held: `data` (one data section), `string` / `binary` (an amqp-value), `sections` (the body sections as encoded). */
  BODY: 'amqp.body',
  /** Base64 of the message-annotations section as received. */
  ANNOTATIONS: 'amqp.annotations',
  DURABLE: 'amqp.durable',
  PRIORITY: 'amqp.priority',
  TTL: 'amqp.ttl',
  /** The properties' absolute-expiry-time, ms since epoch. */
  ABSOLUTE_EXPIRY_TIME: 'amqp.absolute-expiry-time',
  MESSAGE_ID: 'amqp.message-id',
  CORRELATION_ID: 'amqp.correlation-id',
  REPLY_TO: 'amqp.reply-to',
  TO: 'amqp.to',
  CONTENT_TYPE: 'amqp.content-type',
} as const;

/** Property names the AMQP front never maps to or from application-properties. */
export function isReservedProperty(name: string): boolean {
  return name.startsWith('__') || name.startsWith('amqp.');
}
