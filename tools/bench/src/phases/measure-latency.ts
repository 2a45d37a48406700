import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Producer } from '@tessera/client';
import { brokerBreakdownBetween, type BrokerBreakdown } from '../report/broker-breakdown';
import type { LatencyFigures } from '../report/latency-figures';
import type { LatencyConsumerCommand, LatencyConsumerReport, LatencyConsumerSetup } from './latency-consumer-protocol';
import { readRunQueueWait } from './read-run-queue-wait';
import { scrapeBrokerMetrics, type BrokerMetrics } from './scrape-broker-metrics';

export interface LatencyLoad {
  messagesPerSecond: number;
  messageBytes: number;
  queueCount: number;
  durationMs: number;
  /** Latencies of the first messages are left out (connections and caches warming up). */
  warmupMs: number;
}

export interface LatencyTarget {
  server: string;
  topic: string;
  /** The broker's Prometheus exporter: scraped when recording starts and ends, for what the broker saw meanwhile. */
  metricsPort: number;
  /** The broker's process: its main thread's wait for a CPU is read at the same moments. */
  brokerPid: number;
}

export interface LatencyResult extends LatencyLoad, LatencyFigures {
  sent: number;
  received: number;
  failedSends: number;
  firstError?: string;
  achievedRate: number;
  /** The producer thread's event-loop delay meanwhile: a stall here delays sends and inflates the figures above. */
  producerEventLoopDelayP99Ms: number;
  /** The same for the consumer thread: a stall here delays receipt. */
  consumerEventLoopDelayP99Ms: number;
  broker: BrokerBreakdown;
  /**
   * How long the broker's main thread was runnable but had no CPU meanwhile (the bench's threads
   * and the broker share this machine's cores), and the mean wait per timeslice; absent off Linux.
   */
  brokerRunQueueWait?: { totalMs: number; meanPerTimesliceMs: number };
}

const SEND_TIME_BYTES = 8;
const PACING_TICK_MS = 1;

type ConsumerResult = Extract<LatencyConsumerReport, { type: 'result' }>;

/**
 * Produce-to-consume latency at a fixed rate. Paced sends carry their send time (hrtime, ns,
 * taken just before the SDK gets the message); a consumer on its own thread (see
 * latency-consumer-worker) records the time from then until its SDK hands the message over.
 */
export async function measureLatency({ server, topic, metricsPort, brokerPid }: LatencyTarget, load: LatencyLoad): Promise<LatencyResult> {
  const consumer = startConsumer({ server, topic, queueCount: load.queueCount });
  const producer = new Producer({ server });
  try {
    await Promise.all([producer.start(), consumer.ready]);
    // Bodies are reused once their send settled (the SDK encoded them long before): no allocation per send.
    const freeBodies: Buffer[] = [];
    const bodyBytes = Math.max(load.messageBytes, SEND_TIME_BYTES);
    let sent = 0;
    let settled = 0;
    let failedSends = 0;
    let firstError: string | undefined;
    let allSettled: (() => void) | undefined;
    const onSettled = (body: Buffer) => {
      freeBodies.push(body);
      if (++settled === sent) allSettled?.();
    };
    const eventLoopDelay = monitorEventLoopDelay({ resolution: 1 });
    eventLoopDelay.enable();
    const startedAt = process.hrtime.bigint();
    const warmupNs = BigInt(load.warmupMs) * 1_000_000n;
    consumer.post({ type: 'record', recordFromNs: startedAt + warmupNs });
    let metricsAtRecordingStart: Promise<BrokerMetrics> | undefined;
    let waitAtRecordingStart: ReturnType<typeof readRunQueueWait>;
    const intervalNs = 1e9 / load.messagesPerSecond;
    const durationNs = BigInt(load.durationMs) * 1_000_000n;
    for (let elapsed = 0n; elapsed < durationNs; elapsed = process.hrtime.bigint() - startedAt) {
      if (!metricsAtRecordingStart && elapsed >= warmupNs) {
        metricsAtRecordingStart = scrapeBrokerMetrics(metricsPort);
        waitAtRecordingStart = readRunQueueWait(brokerPid);
        // Awaited (and its failure thrown) after the sends; marked handled so it can wait till then.
        metricsAtRecordingStart.catch(() => undefined);
      }
      const due = Math.floor(Number(elapsed) / intervalNs);
      for (; sent < due; sent++) {
        const body = freeBodies.pop() ?? Buffer.alloc(bodyBytes, 'x');
        body.writeBigInt64BE(process.hrtime.bigint(), 0);
        producer.send({ topic, body }).then(
          () => onSettled(body),
          (error: Error) => {
            failedSends++;
            firstError ??= error.message;
            onSettled(body);
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, PACING_TICK_MS));
    }
    const sendSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    if (settled < sent) await new Promise<void>((resolve) => (allSettled = resolve));
    const waitAtRecordingEnd = readRunQueueWait(brokerPid);
    const metricsAtRecordingEnd = await scrapeBrokerMetrics(metricsPort);
    eventLoopDelay.disable();
    consumer.post({ type: 'stop', expected: sent - failedSends });
    const received = await consumer.result;
    return {
      ...load,
      sent,
      received: received.received,
      recorded: received.recorded,
      failedSends,
      firstError,
      achievedRate: sent / sendSeconds,
      p50Ms: received.p50Ms,
      p99Ms: received.p99Ms,
      p999Ms: received.p999Ms,
      maxMs: received.maxMs,
      producerEventLoopDelayP99Ms: eventLoopDelay.percentile(99) / 1e6,
      consumerEventLoopDelayP99Ms: received.eventLoopDelayP99Ms,
      broker: brokerBreakdownBetween(await metricsAtRecordingStart!, metricsAtRecordingEnd),
      brokerRunQueueWait: waitBetween(waitAtRecordingStart, waitAtRecordingEnd),
    };
  } finally {
    await Promise.allSettled([producer.shutdown(), consumer.terminate()]);
  }
}

function waitBetween(start: ReturnType<typeof readRunQueueWait>, end: ReturnType<typeof readRunQueueWait>) {
  if (!start || !end) return undefined;
  const totalMs = end.waitMs - start.waitMs;
  return { totalMs, meanPerTimesliceMs: totalMs / Math.max(1, end.timeslices - start.timeslices) };
}

function startConsumer(setup: LatencyConsumerSetup) {
  const worker = new Worker(join(__dirname, 'latency-consumer-worker.js'), { workerData: setup });
  const reports = (type: 'ready' | 'result') =>
    new Promise<LatencyConsumerReport>((resolve, reject) => {
      const onMessage = (report: LatencyConsumerReport) => {
        if (report.type === 'failed') reject(new Error(`the latency consumer failed: ${report.message}`));
        else if (report.type === type) resolve(report);
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the latency consumer exited (code ${code}) before reporting`)));
    });
  const ready = reports('ready');
  const result = reports('result') as Promise<ConsumerResult>;
  // Either may be left unawaited when the other fails first.
  ready.catch(() => undefined);
  result.catch(() => undefined);
  return {
    ready,
    result,
    post: (command: LatencyConsumerCommand) => worker.postMessage(command),
    terminate: () => worker.terminate(),
  };
}
