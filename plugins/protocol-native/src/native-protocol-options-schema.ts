/** JSON schema of NativeProtocolOptions; the kernel applies its defaults before createModule. */
export const nativeProtocolOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 10911 },
    maxFrameBytes: { type: 'integer', minimum: 1024, maximum: 1073741824, default: 16777216 },
    maxInFlightRequestsPerConnection: { type: 'integer', minimum: 1, default: 1024 },
    maxHeldPullsPerConnection: { type: 'integer', minimum: 0, default: 256 },
    drainTimeoutMs: { type: 'integer', minimum: 0, default: 5000 },
  },
} as const;
