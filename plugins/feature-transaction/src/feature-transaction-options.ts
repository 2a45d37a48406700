export const FeatureTransactionOptions = Symbol.for('tessera.feature-transaction.Options');

export interface FeatureTransactionOptions {
  /** A half message with no decision this long after it was stored is checked back. */
  transactionTimeoutMs: number;
  /** Time between two checks of the same half message. */
  checkIntervalMs: number;
  /** Checks made before an undecided half message is rolled back. */
  checkMax: number;
  /** Open (undecided) transactions held at once; new half messages are refused with SYSTEM_BUSY past it. */
  maxOpenTransactions: number;
  /** A producer that neither polls for checks nor holds a poll for this long is no longer sent checks. */
  producerLivenessMs: number;
  /** How often the open transactions are written to the checkpoint file (when they changed). */
  checkpointIntervalMs: number;
}

export const featureTransactionOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    transactionTimeoutMs: { type: 'integer', minimum: 1, default: 6_000 },
    checkIntervalMs: { type: 'integer', minimum: 1, default: 6_000 },
    checkMax: { type: 'integer', minimum: 0, maximum: 10_000, default: 15 },
    maxOpenTransactions: { type: 'integer', minimum: 1, default: 100_000 },
    producerLivenessMs: { type: 'integer', minimum: 100, default: 10_000 },
    checkpointIntervalMs: { type: 'integer', minimum: 10, default: 3_000 },
  },
} as const;

export const defaultFeatureTransactionOptions: FeatureTransactionOptions = {
  transactionTimeoutMs: 6_000,
  checkIntervalMs: 6_000,
  checkMax: 15,
  maxOpenTransactions: 100_000,
  producerLivenessMs: 10_000,
  checkpointIntervalMs: 3_000,
};
