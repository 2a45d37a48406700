export const FLUSH_MODES = ['SYNC', 'ASYNC'] as const;
export type FlushMode = (typeof FLUSH_MODES)[number];
