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
  /**
   * Per-message-ack (POP) consumption: how far a group's delivery cursor may run ahead of its
   * lowest unacked offset on one queue. At the bound the queue only redelivers until the oldest
   * messages are acked; it bounds the memory a group's state takes per queue.
   */
  popMaxWindowPerQueue: number;
  /** Messages one POP consumer (group + client id) may hold leased at once. */
  popMaxInflightMessagesPerConsumer: number;
  /** Body bytes one POP consumer may hold leased at once (exceeded by at most one message). */
  popMaxInflightBytesPerConsumer: number;
  /** Deliveries after which a failed message (nack or lease expiry) is handed to the consume-failure hooks (retry, DLQ). */
  popMaxDeliveries: number;
  /** How often POP state is checkpointed to disk (also at stop); recovery replays the journal written since. */
  popCheckpointIntervalMs: number;
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
  popMaxWindowPerQueue: 20_000,
  popMaxInflightMessagesPerConsumer: 2_000,
  popMaxInflightBytesPerConsumer: 64 * 1024 * 1024,
  popMaxDeliveries: 16,
  popCheckpointIntervalMs: 5_000,
  logLevel: 'info',
};
