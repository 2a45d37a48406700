/** Per receipt: settled, or refused because the lease had expired or was already settled. */
export type SettleResult = 'OK' | 'STALE';
