import type { QueueSelector } from '../selector/queue-selector';

export interface ProducerOptions {
  /** `host:port` of the broker; default 127.0.0.1:10911. */
  server?: string;
  producerGroup?: string;
  /** Per attempt; default 3000. */
  sendTimeoutMs?: number;
  /** Extra attempts, each on another queue, after a retriable failure; default 2. */
  retries?: number;
  /** Compress a request whose encoded size exceeds `thresholdBytes` (default 4096). */
  compression?: { codec: 'zstd' | 'lz4' | 'none'; thresholdBytes?: number };
  /** Default: round robin. */
  queueSelector?: QueueSelector;
  /**
   * Single sends to the same queue made in the same tick leave as one request (default true);
   * results and errors stay per message.
   */
  autoBatch?: boolean;
}
