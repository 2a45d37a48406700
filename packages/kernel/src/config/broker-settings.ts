export const BrokerSettings = Symbol.for('tessera.BrokerSettings');

/** The kernel's own settings (the `broker` section of a config file). */
export interface BrokerSettings {
  /** Names this broker group in routes and message ids. */
  brokerName: string;
  /** Root of everything the broker keeps on disk. */
  dataDir: string;
  /** Create a topic on first produce to it. */
  autoCreateTopics: boolean;
  /** Write and read queue count of auto-created topics. */
  defaultQueueCount: number;
  /** Largest message body accepted, in bytes. */
  maxMessageBytes: number;
  /** How often consumer offsets are written to disk (they are also written at stop). */
  offsetFlushIntervalMs: number;
  /** A consumer-group member that does not heartbeat for this long is removed. */
  groupSessionTimeoutMs: number;
  /** Period of the hooks' onTick and of retention. */
  tickIntervalMs: number;
  /** Upper bound for how long a stop waits for in-flight work. */
  shutdownTimeoutMs: number;
  logLevel: string;
}

export const defaultBrokerSettings: BrokerSettings = {
  brokerName: 'broker-a',
  dataDir: './data',
  autoCreateTopics: true,
  defaultQueueCount: 8,
  maxMessageBytes: 4 * 1024 * 1024,
  offsetFlushIntervalMs: 1000,
  groupSessionTimeoutMs: 10_000,
  tickIntervalMs: 1000,
  shutdownTimeoutMs: 10_000,
  logLevel: 'info',
};
