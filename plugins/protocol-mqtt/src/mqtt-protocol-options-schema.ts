/** JSON schema of MqttProtocolOptions; the kernel applies its defaults before createModule. */
export const mqttProtocolOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 1883 },
    wsPort: { type: ['integer', 'null'], minimum: 0, maximum: 65535, default: 8083 },
    wsPath: { type: 'string', pattern: '^/', default: '/mqtt' },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['keyFile', 'certFile'],
      properties: {
        keyFile: { type: 'string', minLength: 1 },
        certFile: { type: 'string', minLength: 1 },
      },
    },
    // MQTT 3.1.1's own ceiling is 268,435,455 + 5 bytes of fixed header.
    maxPacketSize: { type: 'integer', minimum: 64, maximum: 268435460, default: 1048576 },
    receiveMaximum: { type: 'integer', minimum: 1, maximum: 65535, default: 1024 },
    topicAliasMaximum: { type: 'integer', minimum: 0, maximum: 65535, default: 64 },
    maxHeldPublishes: { type: 'integer', minimum: 1, default: 10000 },
    keepaliveLimit: { type: 'integer', minimum: 1, maximum: 65535 },
    // A topic name prefix: no wildcards, no NUL (MQTT 5 4.7.3).
    responseTopicPrefix: { type: 'string', minLength: 1, maxLength: 32767, pattern: '^[^+#\\u0000]+$' },
    topicMapping: { enum: ['first-level', 'fixed'], default: 'first-level' },
    topic: { type: 'string', pattern: '^[A-Za-z0-9_.|-][%|A-Za-z0-9_.-]{0,126}$', default: 'mqtt' },
    allowAnonymous: { type: 'boolean', default: true },
    acl: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          username: { type: 'string', minLength: 1 },
          publish: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
          subscribe: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
        },
      },
    },
    bridgeRescanMs: { type: 'integer', minimum: 10, default: 1000 },
    sysIntervalSeconds: { type: 'integer', minimum: 0, default: 10 },
  },
} as const;
