import { monitorEventLoopDelay } from 'node:perf_hooks';
import { build } from 'hdr-histogram-js';
import { Producer, PullConsumer } from '@tessera/client';

export interface LatencyLoad {
  messagesPerSecond: number;
  messageBytes: number;
  queueCount: number;
  durationMs: number;
  /** Latencies of the first messages are left out (connections and caches warming up). */
  warmupMs: number;
}

export interface LatencyResult extends LatencyLoad {
  sent: number;
  received: number;
  recorded: number;
  failedSends: number;
  firstError?: string;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** The bench process's own event-loop delay meanwhile: a stall here inflates the figures above. */
  clientEventLoopDelayP99Ms: number;
}

const SEND_TIME_BYTES = 8;
const DRAIN_TIMEOUT_MS = 10_000;
const LONG_POLL_MS = 1_000;

/**
 * Produce-to-consume latency at a fixed rate: paced sends carry their send time (hrtime, ns),
 * long-polling pull loops (one per queue) record receive − send in an HDR histogram (µs).
 */
export async function measureLatency(server: string, topic: string, load: LatencyLoad): Promise<LatencyResult> {
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const producer = new Producer({ server });
  const consumer = new PullConsumer({ server });
  await producer.start();
  await consumer.start();
  let sent = 0;
  let received = 0;
  let failedSends = 0;
  let firstError: string | undefined;
  let sending = true;
  let stoppedSendingAt = 0;
  const eventLoopDelay = monitorEventLoopDelay({ resolution: 1 });
  eventLoopDelay.enable();
  const startedAt = process.hrtime.bigint();
  const recordFrom = startedAt + BigInt(load.warmupMs) * 1_000_000n;

  const pullLoops = Array.from({ length: load.queueCount }, async (_, queueId) => {
    let offset = (await consumer.queueRange(topic, queueId)).maxOffset;
    const drainDeadline = () => (sending ? Number.POSITIVE_INFINITY : stoppedSendingAt + DRAIN_TIMEOUT_MS);
    while (sending || (received < sent - failedSends && Date.now() < drainDeadline())) {
      const result = await consumer.pull({ topic, queueId, offset, maxCount: 256, maxWaitMs: LONG_POLL_MS });
      const now = process.hrtime.bigint();
      for (const message of result.messages) {
        received++;
        const sentAt = message.body.readBigInt64BE(0);
        if (sentAt >= recordFrom) histogram.recordValue(Number((now - sentAt) / 1000n));
      }
      offset = result.nextOffset;
    }
  });

  const outstanding = new Set<Promise<void>>();
  const intervalNs = 1e9 / load.messagesPerSecond;
  const durationNs = BigInt(load.durationMs) * 1_000_000n;
  for (let elapsed = 0n; elapsed < durationNs; elapsed = process.hrtime.bigint() - startedAt) {
    const due = Math.floor(Number(elapsed) / intervalNs);
    for (; sent < due; sent++) {
      const body = Buffer.alloc(Math.max(load.messageBytes, SEND_TIME_BYTES), 'x');
      body.writeBigInt64BE(process.hrtime.bigint(), 0);
      const request = producer.send({ topic, body }).then(
        () => undefined,
        (error: Error) => {
          failedSends++;
          firstError ??= error.message;
        },
      );
      outstanding.add(request);
      void request.finally(() => outstanding.delete(request));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sendSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  await Promise.all(outstanding);
  sending = false;
  stoppedSendingAt = Date.now();
  await Promise.all(pullLoops);
  eventLoopDelay.disable();
  await Promise.allSettled([producer.shutdown(), consumer.shutdown()]);
  const ms = (percentile: number) => histogram.getValueAtPercentile(percentile) / 1000;
  return {
    ...load,
    sent,
    received,
    recorded: histogram.totalCount,
    failedSends,
    firstError,
    achievedRate: sent / sendSeconds,
    p50Ms: ms(50),
    p99Ms: ms(99),
    p999Ms: ms(99.9),
    maxMs: histogram.maxValue / 1000,
    clientEventLoopDelayP99Ms: eventLoopDelay.percentile(99) / 1e6,
  };
}
