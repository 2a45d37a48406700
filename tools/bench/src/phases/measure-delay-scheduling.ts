import { Producer, type Message } from '@tessera/client';
import { RssSampler } from './rss-sampler';

export interface DelaySchedulingLoad {
  messages: number;
  /** Due times are spread uniformly over this window, which starts `leadMs` after the phase starts. */
  windowMs: number;
  leadMs: number;
  bodyBytes: number;
  batchSize: number;
  producerCount: number;
  batchesInFlightPerProducer: number;
  /** How long RSS is still sampled once every message is scheduled. */
  settleMs: number;
}

export interface DelaySchedulingResult extends DelaySchedulingLoad {
  scheduled: number;
  failedBatches: number;
  firstError?: string;
  seconds: number;
  msgsPerSec: number;
  /** The broker's resident memory before the first message, and the largest sampled during and after scheduling. */
  rssBeforeMiB: number;
  rssMaxMiB: number;
  rssAfterMiB: number;
}

const RSS_SAMPLE_MS = 100;

/**
 * Schedules `messages` small messages with due times spread uniformly over a window ahead (none
 * falls due during the phase), in batches from a few producers, while sampling the broker's RSS.
 */
export async function measureDelayScheduling(server: string, brokerPid: number, topic: string, load: DelaySchedulingLoad): Promise<DelaySchedulingResult> {
  const body = Buffer.alloc(load.bodyBytes, 'd');
  const rss = new RssSampler(brokerPid);
  const rssBeforeMiB = rss.currentMiB();
  const producers = Array.from({ length: load.producerCount }, () => new Producer({ server }));
  await Promise.all(producers.map((p) => p.start()));
  const windowStart = Date.now() + load.leadMs;
  const batches = Math.ceil(load.messages / load.batchSize);
  let nextBatch = 0;
  let scheduled = 0;
  let failedBatches = 0;
  let firstError: string | undefined;
  rss.start(RSS_SAMPLE_MS);
  const startedAt = process.hrtime.bigint();
  try {
    await Promise.all(
      producers.flatMap((producer) =>
        Array.from({ length: load.batchesInFlightPerProducer }, async () => {
          for (let batch = nextBatch++; batch < batches; batch = nextBatch++) {
            const size = Math.min(load.batchSize, load.messages - batch * load.batchSize);
            const messages: Message[] = Array.from({ length: size }, () => ({ topic, body, deliverAt: windowStart + Math.floor(Math.random() * load.windowMs) }));
            try {
              await producer.sendBatch(messages);
              scheduled += size;
            } catch (error) {
              failedBatches++;
              firstError ??= (error as Error).message;
            }
          }
        }),
      ),
    );
  } finally {
    await Promise.allSettled(producers.map((p) => p.shutdown()));
  }
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, load.settleMs));
  rss.stop();
  return {
    ...load,
    scheduled,
    failedBatches,
    firstError,
    seconds,
    msgsPerSec: scheduled / seconds,
    rssBeforeMiB,
    rssMaxMiB: rss.maxSampledMiB,
    rssAfterMiB: rss.currentMiB(),
  };
}
