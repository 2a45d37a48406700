import type { AmqpPhaseResult } from '../amqp/measure-amqp-phase';
import type { BenchResults } from './bench-results';

/** The two phases run for one payload size: as fast as settlements allow, then at the fixed latency rate. */
export interface AmqpPayloadFigures {
  payloadBytes: number;
  throughput: AmqpPhaseResult;
  latency: AmqpPhaseResult;
}

export interface AmqpBrokerFigures {
  /** What ran, e.g. `Tessera (SYNC flush)` or `RabbitMQ 3.10.8 on Erlang/OTP 25`. */
  description: string;
  /** One per payload size measured, in order; fewer when a phase failed. */
  payloads: AmqpPayloadFigures[];
  /** Why the broker could not be started or a phase could not run (the figures before it stand). */
  error?: string;
}

/** What the `amqp` suite measured; written as JSON to bench-results/. */
export interface AmqpBenchResults {
  suite: 'amqp';
  startedAt: string;
  machine: BenchResults['machine'];
  quick: boolean;
  phaseMs: number;
  latencyRatePerSec: number;
  /** How the RabbitMQ node was run (user, ports, plugin), for the report. */
  rabbitMqSetup: string;
  tessera: AmqpBrokerFigures;
  rabbitmq: AmqpBrokerFigures;
}
