import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LatencyFigures } from '../report/latency-figures';
import type { AmqpEndpoint, AmqpReceiversCommand, AmqpReceiversReport, AmqpSendersReport } from './amqp-load-protocol';

export interface AmqpPhaseLoad {
  payloadBytes: number;
  senders: number;
  receivers: number;
  inFlightPerSender: number;
  creditPerReceiver: number;
  durationMs: number;
  /** Latencies of the first messages are left out (connections and queues warming up). */
  warmupMs: number;
  /** Messages per second over all senders (the latency phase); absent: as fast as the broker settles (the throughput phase). */
  ratePerSec?: number;
}

export interface AmqpPhaseResult extends AmqpPhaseLoad, LatencyFigures {
  sent: number;
  accepted: number;
  refused: number;
  unsettled: number;
  received: number;
  /** Accepted (settled) publishes over the time from the first send to the last settlement. */
  acceptedPerSec: number;
  /** Received messages over the time from the first send to the last receipt. */
  receivedPerSec: number;
  /** Sends per second the senders achieved (for a paced phase: did they keep the rate). */
  sentPerSec: number;
  firstError?: string;
  /** p99 event-loop delay of the senders' and the receivers' threads: a stall there inflates the latencies. */
  sendersEventLoopDelayP99Ms: number;
  receiversEventLoopDelayP99Ms: number;
}

const SETTLE_TIMEOUT_MS = 30_000;
const DRAIN_MS = 30_000;

/**
 * One phase against one broker: the receivers (a thread) attach to the queue first, then the
 * senders (another thread, so neither side's encoding or garbage collection stalls the other)
 * send for `durationMs`; the receivers then get until everything accepted arrived (at most 30 s).
 */
export async function measureAmqpPhase(endpoint: AmqpEndpoint, load: AmqpPhaseLoad): Promise<AmqpPhaseResult> {
  const receivers = startWorker<AmqpReceiversReport>('amqp-receiver-worker.js', {
    endpoint,
    receivers: load.receivers,
    creditPerReceiver: load.creditPerReceiver,
  });
  let senders: LoadWorker<AmqpSendersReport> | undefined;
  try {
    await receivers.next('ready');
    senders = startWorker<AmqpSendersReport>('amqp-sender-worker.js', {
      endpoint,
      senders: load.senders,
      payloadBytes: load.payloadBytes,
      inFlightPerSender: load.inFlightPerSender,
      durationMs: load.durationMs,
      ratePerSec: load.ratePerSec,
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
    });
    const started = await senders.next('started');
    receivers.post({ type: 'record', recordFromNs: started.atNs + BigInt(load.warmupMs) * 1_000_000n } satisfies AmqpReceiversCommand);
    const sent = await senders.next('result');
    receivers.post({ type: 'stop', expected: sent.accepted, drainMs: DRAIN_MS } satisfies AmqpReceiversCommand);
    const received = await receivers.next('result');
    const receiveSeconds = Number(received.lastReceivedNs - started.atNs) / 1e9;
    return {
      ...load,
      sent: sent.sent,
      accepted: sent.accepted,
      refused: sent.refused,
      unsettled: sent.unsettled,
      received: received.received,
      acceptedPerSec: sent.settleSeconds > 0 ? sent.accepted / sent.settleSeconds : 0,
      receivedPerSec: received.received > 0 && receiveSeconds > 0 ? received.received / receiveSeconds : 0,
      sentPerSec: sent.sendSeconds > 0 ? sent.sent / sent.sendSeconds : 0,
      recorded: received.recorded,
      p50Ms: received.p50Ms,
      p99Ms: received.p99Ms,
      p999Ms: received.p999Ms,
      maxMs: received.maxMs,
      firstError: sent.firstError ?? received.firstError,
      sendersEventLoopDelayP99Ms: sent.eventLoopDelayP99Ms,
      receiversEventLoopDelayP99Ms: received.eventLoopDelayP99Ms,
    };
  } finally {
    await Promise.allSettled([receivers.terminate(), senders?.terminate()]);
  }
}

interface LoadWorker<Report extends { type: string }> {
  /** The next report of that type; rejects when the worker reports a failure or exits first. */
  next<Type extends Report['type']>(type: Type): Promise<Extract<Report, { type: Type }>>;
  post(command: unknown): void;
  terminate(): Promise<number>;
}

function startWorker<Report extends { type: string }>(file: string, setup: unknown): LoadWorker<Report> {
  const worker = new Worker(join(__dirname, file), { workerData: setup });
  const reports: Report[] = [];
  let failure: Error | undefined;
  let wake: () => void = () => undefined;
  worker.on('message', (report: Report) => {
    if (report.type === 'failed') failure ??= new Error(`${file}: ${(report as unknown as { message: string }).message}`);
    else reports.push(report);
    wake();
  });
  worker.once('error', (error) => ((failure ??= error), wake()));
  worker.once('exit', (code) => ((failure ??= new Error(`${file} exited (code ${code}) before reporting`)), wake()));
  return {
    async next(type) {
      for (;;) {
        const index = reports.findIndex((report) => report.type === type);
        if (index >= 0) return reports.splice(index, 1)[0] as Extract<Report, { type: typeof type }>;
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    post: (command) => worker.postMessage(command),
    terminate: () => worker.terminate(),
  };
}
