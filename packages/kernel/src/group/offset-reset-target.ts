/** Where `tessera group reset-offset` moves a group: an offset on every queue, or a point in time. */
export type OffsetResetTarget = { offset: number } | { timestamp: number };
