import type { PersistedPacket } from './persisted-packet';

/**
 * What must outlive a broker restart of an MQTT 5 session that outlives its connection: its expiry
 * and its delayed will. Deadlines are absent while the client is connected (the interval counts
 * from the disconnect, which a restart is too).
 */
export interface SessionTimersRecord {
  [field: string]: unknown;
  /** Seconds the session outlives its connection; 0xFFFFFFFF: never. */
  expiryInterval: number;
  /** When the session ends, ms since epoch. */
  expiresAt?: number;
  /** A will with a Will Delay Interval (its properties hold the interval). */
  will?: PersistedPacket;
  /** When the will is published, ms since epoch. */
  willAt?: number;
  /** Who the client logged in as: a will published after a restart is authorized as that user. */
  username?: string;
}
