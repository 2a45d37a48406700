const userPermissionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    produce: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    consume: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
  },
} as const;

/** JSON schema of a config file's `security` section (the broker's users, see UserStore). */
export const securitySettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    users: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'password'],
        properties: {
          username: { type: 'string', minLength: 1 },
          password: { type: 'string' },
          permissions: userPermissionsSchema,
        },
      },
    },
    anonymousPermissions: userPermissionsSchema,
  },
} as const;

/** JSON schema of a config file; each plugin's `options` are checked by the plugin's own schema. */
export const brokerConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    broker: {
      type: 'object',
      additionalProperties: false,
      properties: {
        brokerName: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
        dataDir: { type: 'string', minLength: 1 },
        autoCreateTopics: { type: 'boolean' },
        defaultQueueCount: { type: 'integer', minimum: 1, maximum: 1024 },
        maxMessageBytes: { type: 'integer', minimum: 1, maximum: 256 * 1024 * 1024 },
        offsetFlushIntervalMs: { type: 'integer', minimum: 10 },
        groupSessionTimeoutMs: { type: 'integer', minimum: 100 },
        tickIntervalMs: { type: 'integer', minimum: 10 },
        shutdownTimeoutMs: { type: 'integer', minimum: 0 },
        popMaxWindowPerQueue: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        popMaxInflightMessagesPerConsumer: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        popMaxInflightBytesPerConsumer: { type: 'integer', minimum: 1, maximum: 16 * 1024 * 1024 * 1024 },
        popMaxDeliveries: { type: 'integer', minimum: 1, maximum: 1000 },
        popCheckpointIntervalMs: { type: 'integer', minimum: 10, maximum: 3_600_000 },
        logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
      },
    },
    security: securitySettingsSchema,
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1 },
          options: { type: 'object' },
        },
      },
    },
  },
} as const;
