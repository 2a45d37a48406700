import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { build } from 'hdr-histogram-js';
import { PullConsumer } from '@tessera/client';
import { latencyFiguresOf } from '../report/latency-figures';
import type { LatencyConsumerCommand, LatencyConsumerReport, LatencyConsumerSetup } from './latency-consumer-protocol';

const DRAIN_TIMEOUT_MS = 10_000;
const LONG_POLL_MS = 1_000;

/**
 * The consumer half of the latency phase, on its own thread so its decoding and garbage
 * collection never delay the producer's sends (nor the other way round). One long-polling pull
 * loop per queue records receive − send (both hrtime, the same monotonic clock in every thread).
 */
async function runLatencyConsumer(setup: LatencyConsumerSetup, port: NonNullable<typeof parentPort>): Promise<void> {
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const eventLoopDelay = monitorEventLoopDelay({ resolution: 1 });
  const consumer = new PullConsumer({ server: setup.server });
  await consumer.start();
  const offsets = await Promise.all(
    Array.from({ length: setup.queueCount }, async (_, queueId) => (await consumer.queueRange(setup.topic, queueId)).maxOffset),
  );
  let received = 0;
  let recordFrom: bigint | undefined;
  let expected = Number.POSITIVE_INFINITY;
  let drainDeadline = Number.POSITIVE_INFINITY;
  port.on('message', (command: LatencyConsumerCommand) => {
    if (command.type === 'record') {
      recordFrom = command.recordFromNs;
      eventLoopDelay.enable();
    } else {
      expected = command.expected;
      drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
    }
  });
  const pullLoops = offsets.map(async (startOffset, queueId) => {
    let offset = startOffset;
    while (received < expected && Date.now() < drainDeadline) {
      const result = await consumer.pull({ topic: setup.topic, queueId, offset, maxCount: 256, maxWaitMs: LONG_POLL_MS });
      const now = process.hrtime.bigint();
      for (const message of result.messages) {
        received++;
        const sentAt = message.body.readBigInt64BE(0);
        if (recordFrom !== undefined && sentAt >= recordFrom) histogram.recordValue(Number((now - sentAt) / 1000n));
      }
      offset = result.nextOffset;
    }
  });
  port.postMessage({ type: 'ready' } satisfies LatencyConsumerReport);
  await Promise.all(pullLoops);
  eventLoopDelay.disable();
  await consumer.shutdown().catch(() => undefined);
  port.postMessage({
    type: 'result',
    received,
    ...latencyFiguresOf(histogram),
    eventLoopDelayP99Ms: eventLoopDelay.percentile(99) / 1e6,
  } satisfies LatencyConsumerReport);
}

if (parentPort) {
  const port = parentPort;
  runLatencyConsumer(workerData as LatencyConsumerSetup, port).catch((error: unknown) => {
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies LatencyConsumerReport);
  });
}
