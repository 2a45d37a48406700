export interface FeatureFilterOptions {
  /** Compiled filters kept, by expression type and text; the least recently used goes first. */
  cacheSize: number;
  /** Longer expressions are refused (they are parsed on the broker). */
  maxExpressionLength: number;
}

export const featureFilterOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cacheSize: { type: 'integer', minimum: 1, default: 1024 },
    maxExpressionLength: { type: 'integer', minimum: 16, maximum: 65535, default: 4096 },
  },
} as const;

export const defaultFeatureFilterOptions: FeatureFilterOptions = { cacheSize: 1024, maxExpressionLength: 4096 };
