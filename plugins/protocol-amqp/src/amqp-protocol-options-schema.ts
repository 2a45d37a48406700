/** JSON schema of AmqpProtocolOptions; the kernel applies its defaults before createModule. */
export const amqpProtocolOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 5672 },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['keyFile', 'certFile'],
      properties: {
        keyFile: { type: 'string', minLength: 1 },
        certFile: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 5671 },
      },
    },
    allowAnonymous: { type: 'boolean', default: true },
    maxFrameSize: { type: 'integer', minimum: 512, maximum: 16 * 1024 * 1024, default: 256 * 1024 },
    idleTimeoutMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 60_000 },
    queuePrefixes: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['/queues/', 'queue://'] },
    topicPrefixes: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['topic://', '/topics/'] },
    publisherCreditWindow: { type: 'integer', minimum: 1, maximum: 100_000, default: 500 },
    sessionWindow: { type: 'integer', minimum: 16, maximum: 65_536, default: 2048 },
    leaseMs: { type: 'integer', minimum: 1000, maximum: 12 * 3600 * 1000, default: 300_000 },
    receiveWaitMs: { type: 'integer', minimum: 10, maximum: 600_000, default: 20_000 },
    modifiedRedeliveryDelayMs: { type: 'integer', minimum: 0, maximum: 12 * 3600 * 1000, default: 1000 },
    deadLetterExpired: { type: 'boolean', default: false },
    maxOpenTransactions: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
    maxTransactionMessages: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000 },
    maxTransactionBytes: { type: 'integer', minimum: 1024, maximum: 1024 * 1024 * 1024, default: 16 * 1024 * 1024 },
    maxConnectionTransactionBytes: { type: 'integer', minimum: 1024, maximum: 4 * 1024 * 1024 * 1024, default: 64 * 1024 * 1024 },
  },
} as const;
