import { build } from 'hdr-histogram-js';
import { Producer, PushConsumer, type Message, type ReceivedMessage } from '@tessera/client';

export interface DeliveryLatenessLoad {
  /** Messages falling due per second, over `windowMs`. */
  perSecond: number;
  windowMs: number;
  /** The window starts this long after the phase starts: scheduling must be done by then. */
  leadMs: number;
  bodyBytes: number;
  batchSize: number;
  batchesInFlight: number;
}

export interface DeliveryLatenessResult extends DeliveryLatenessLoad {
  scheduled: number;
  /** Scheduling finished this long before the window started (negative: after). */
  scheduledAheadMs: number;
  received: number;
  duplicates: number;
  firstError?: string;
  /** Arrival at the consumer's listener minus the due time. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Arrivals before the due time (there should be none). */
  early: number;
  /** The broker's store time of the delivered message minus the due time. */
  storedP99Ms: number;
}

const GROUP = 'delay-lateness';
/** After the window ends, how long the phase waits for the last messages. */
const DRAIN_MS = 30_000;
const ASSIGNMENT_TIMEOUT_MS = 30_000;

/**
 * Schedules `perSecond` × window messages with due times spread uniformly over a window that
 * starts `leadMs` ahead, then consumes them with a PushConsumer and records each one's lateness
 * (arrival − due) in an HDR histogram (µs). Every message carries its due time and a sequence number.
 */
export async function measureDeliveryLateness(server: string, topic: string, load: DeliveryLatenessLoad): Promise<DeliveryLatenessResult> {
  const total = Math.round((load.perSecond * load.windowMs) / 1000);
  const lateness = build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  const storedLateness = build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  const seen = new Uint8Array(total);
  let received = 0;
  let duplicates = 0;
  let early = 0;
  let firstError: string | undefined;
  const consumer = new PushConsumer({
    server,
    group: GROUP,
    topic,
    consumeFrom: 'earliest',
    consumeBatchSize: 64,
    pullBatchSize: 256,
    listener: (messages: ReceivedMessage[]) => {
      const now = Date.now();
      for (const message of messages) {
        const n = Number(message.properties.n);
        if (seen[n]) {
          duplicates++;
          continue;
        }
        seen[n] = 1;
        received++;
        const dueAt = Number(message.properties.due);
        if (now < dueAt) early++;
        lateness.recordValue(Math.max(0, now - dueAt) * 1000);
        storedLateness.recordValue(Math.max(0, message.storeTimestamp - dueAt) * 1000);
      }
      return 'SUCCESS';
    },
  });
  consumer.on('error', (error: Error) => (firstError ??= error.message));
  const producer = new Producer({ server });
  const body = Buffer.alloc(load.bodyBytes, 'l');
  const windowStart = Date.now() + load.leadMs;
  let scheduled = 0;
  let scheduledAt = 0;
  try {
    await Promise.all([consumer.start(), producer.start()]);
    const assignedBy = Date.now() + ASSIGNMENT_TIMEOUT_MS;
    while (consumer.assignedQueues().length === 0) {
      if (Date.now() > assignedBy) throw new Error(`the lateness consumer got no queue within ${ASSIGNMENT_TIMEOUT_MS} ms`);
      await pause(10);
    }
    const batches = Math.ceil(total / load.batchSize);
    let nextBatch = 0;
    await Promise.all(
      Array.from({ length: load.batchesInFlight }, async () => {
        for (let batch = nextBatch++; batch < batches; batch = nextBatch++) {
          const messages: Message[] = [];
          for (let n = batch * load.batchSize; n < Math.min(total, (batch + 1) * load.batchSize); n++) {
            const dueAt = windowStart + Math.floor(Math.random() * load.windowMs);
            messages.push({ topic, body, properties: { n: String(n), due: String(dueAt) }, deliverAt: dueAt });
          }
          try {
            await producer.sendBatch(messages);
            scheduled += messages.length;
          } catch (error) {
            firstError ??= (error as Error).message;
          }
        }
      }),
    );
    scheduledAt = Date.now();
    const deadline = windowStart + load.windowMs + DRAIN_MS;
    while (received < scheduled && Date.now() < deadline) await pause(50);
  } catch (error) {
    firstError ??= (error as Error).message;
  } finally {
    await Promise.allSettled([consumer.shutdown(), producer.shutdown()]);
  }
  const ms = (histogram: typeof lateness, percentile: number) => histogram.getValueAtPercentile(percentile) / 1000;
  return {
    ...load,
    scheduled,
    scheduledAheadMs: windowStart - scheduledAt,
    received,
    duplicates,
    firstError,
    p50Ms: ms(lateness, 50),
    p99Ms: ms(lateness, 99),
    maxMs: lateness.maxValue / 1000,
    early,
    storedP99Ms: ms(storedLateness, 99),
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
