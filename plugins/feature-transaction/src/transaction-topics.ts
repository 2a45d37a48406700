import { KERNEL_TOPIC_PREFIX } from '@tessera/kernel';

/** Queue 0 holds every half message, in the order they were stored. */
export const HALF_TOPIC = `${KERNEL_TOPIC_PREFIX}TRANS_HALF`;
/** Queue 0 holds one record per decided half message: tag COMMIT or ROLLBACK, body the half's id. */
export const DECISION_TOPIC = `${KERNEL_TOPIC_PREFIX}TRANS_OP`;
export const TRANSACTION_QUEUE_ID = 0;
