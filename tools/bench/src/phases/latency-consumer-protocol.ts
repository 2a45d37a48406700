import type { LatencyFigures } from '../report/latency-figures';

/** What the latency phase's consumer thread is started with. */
export interface LatencyConsumerSetup {
  server: string;
  topic: string;
  queueCount: number;
}

/** From the producer's thread: record messages sent from then on; later, stop once `expected` arrived. */
export type LatencyConsumerCommand = { type: 'record'; recordFromNs: bigint } | { type: 'stop'; expected: number };

/** From the consumer's thread: pull loops are at the queues' ends; then the figures (or why it failed). */
export type LatencyConsumerReport =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | ({
      type: 'result';
      received: number;
      eventLoopDelayP99Ms: number;
    } & LatencyFigures);
