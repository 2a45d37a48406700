import type { LatencyFigures } from '../report/latency-figures';

/** Where the load goes: an AMQP 1.0 listener on 127.0.0.1 and the queue's address as that broker names it. */
export interface AmqpEndpoint {
  port: number;
  address: string;
  /** SASL PLAIN when set; otherwise no SASL layer. */
  username?: string;
  password?: string;
}

/** What the senders' thread is started with. */
export interface AmqpSendersSetup {
  endpoint: AmqpEndpoint;
  senders: number;
  payloadBytes: number;
  /** Transfers sent and not yet settled by the broker, per sender. */
  inFlightPerSender: number;
  durationMs: number;
  /** Messages per second over all senders; absent: as fast as the broker settles. */
  ratePerSec?: number;
  /** After `durationMs`, how long the broker may take to settle what is in flight. */
  settleTimeoutMs: number;
}

/** What the receivers' thread is started with. */
export interface AmqpReceiversSetup {
  endpoint: AmqpEndpoint;
  receivers: number;
  /** Link credit each receiver keeps granted (its prefetch). */
  creditPerReceiver: number;
}

/** From the orchestrator to the receivers: record messages sent from then on; later, stop once `expected` arrived or after `drainMs`. */
export type AmqpReceiversCommand = { type: 'record'; recordFromNs: bigint } | { type: 'stop'; expected: number; drainMs: number };

export type AmqpSendersReport =
  | { type: 'started'; atNs: bigint }
  | { type: 'failed'; message: string }
  | {
      type: 'result';
      sent: number;
      accepted: number;
      /** Settled with an outcome other than accepted (rejected, released, modified). */
      refused: number;
      /** Still unsettled when the settle timeout ran out. */
      unsettled: number;
      firstError?: string;
      /** From the first send to the last send. */
      sendSeconds: number;
      /** From the first send to the last settlement. */
      settleSeconds: number;
      eventLoopDelayP99Ms: number;
    };

export type AmqpReceiversReport =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | ({
      type: 'result';
      received: number;
      lastReceivedNs: bigint;
      firstError?: string;
      eventLoopDelayP99Ms: number;
    } & LatencyFigures);
