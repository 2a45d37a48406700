/**
 * How a producer's local transaction ended. COMMIT makes the half message visible on its real
 * topic, ROLLBACK drops it, UNKNOWN leaves it open for the broker to check back later.
 */
export type TransactionDecision = 'COMMIT' | 'ROLLBACK' | 'UNKNOWN';
