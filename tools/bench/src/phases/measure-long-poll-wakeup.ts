import { build } from 'hdr-histogram-js';
import { Producer, PushConsumer, type ReceivedMessage } from '@tessera/client';

export interface LongPollLoad {
  /** Measured samples, after `warmupSamples` that are left out. */
  samples: number;
  warmupSamples: number;
  /** Pause before each send: time for the consumer's next pull to reach the broker and be parked there. */
  gapMs: number;
}

export interface LongPollWakeupResult extends LongPollLoad {
  recorded: number;
  /** Samples whose send failed or whose message did not arrive in time. */
  lost: number;
  firstError?: string;
  /** Just before the send until the consumer's listener has the message. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The send's own round trip in the same samples (store, fsync, ack): the broker wakes the pull after it. */
  sendAckP50Ms: number;
  sendAckP99Ms: number;
  sendAckMaxMs: number;
  /** How long after the send's ack the listener had the message (0 when first): the broker's wake-up and answer. */
  afterAckP50Ms: number;
  afterAckP99Ms: number;
  afterAckMaxMs: number;
}

const DELIVERY_TIMEOUT_MS = 5_000;
const ASSIGNMENT_TIMEOUT_MS = 30_000;

/**
 * Long-poll wake-up: a PushConsumer sits on an idle single-queue topic with its pull parked at the
 * broker; one message at a time is sent, and the time from just before the send to the listener
 * receiving it is recorded (HDR histogram, µs). The next message is sent only after the previous
 * one arrived and `gapMs` passed, so every message finds a parked pull.
 */
export async function measureLongPollWakeup(server: string, topic: string, group: string, load: LongPollLoad): Promise<LongPollWakeupResult> {
  const microseconds = () => build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const wakeup = microseconds();
  const sendAck = microseconds();
  const afterAck = microseconds();
  let expected = '';
  let arrived: ((at: bigint) => void) | undefined;
  const consumer = new PushConsumer({
    server,
    group,
    topic,
    consumeFrom: 'latest',
    listener: (messages: ReceivedMessage[]) => {
      const at = process.hrtime.bigint();
      if (messages.some((m) => m.body.toString() === expected)) arrived?.(at);
      return 'SUCCESS';
    },
  });
  const producer = new Producer({ server, retries: 0 });
  let lost = 0;
  let firstError: string | undefined;
  try {
    await Promise.all([consumer.start(), producer.start()]);
    const assignedBy = Date.now() + ASSIGNMENT_TIMEOUT_MS;
    while (consumer.assignedQueues().length === 0) {
      if (Date.now() > assignedBy) throw new Error(`the long-poll consumer got no queue within ${ASSIGNMENT_TIMEOUT_MS} ms`);
      await pause(10);
    }
    for (let sample = 0; sample < load.warmupSamples + load.samples; sample++) {
      await pause(load.gapMs);
      expected = `wake-${sample}`;
      let timer: NodeJS.Timeout | undefined;
      const delivery = new Promise<bigint | undefined>((resolve) => {
        arrived = resolve;
        timer = setTimeout(() => resolve(undefined), DELIVERY_TIMEOUT_MS);
      });
      const sentAt = process.hrtime.bigint();
      try {
        const acked = producer.send({ topic, body: Buffer.from(expected) }).then(() => process.hrtime.bigint());
        const [deliveredAt, ackedAt] = await Promise.all([delivery, acked]);
        if (deliveredAt === undefined) throw new Error(`message ${sample} did not arrive within ${DELIVERY_TIMEOUT_MS} ms`);
        if (sample >= load.warmupSamples) {
          wakeup.recordValue(Number((deliveredAt - sentAt) / 1000n));
          sendAck.recordValue(Number((ackedAt - sentAt) / 1000n));
          afterAck.recordValue(deliveredAt > ackedAt ? Number((deliveredAt - ackedAt) / 1000n) : 0);
        }
      } catch (error) {
        lost++;
        firstError ??= (error as Error).message;
      } finally {
        clearTimeout(timer);
      }
    }
  } catch (error) {
    firstError ??= (error as Error).message;
  } finally {
    await Promise.allSettled([consumer.shutdown(), producer.shutdown()]);
  }
  const ms = (histogram: typeof wakeup, percentile: number) => histogram.getValueAtPercentile(percentile) / 1000;
  return {
    ...load,
    recorded: wakeup.totalCount,
    lost,
    firstError,
    p50Ms: ms(wakeup, 50),
    p99Ms: ms(wakeup, 99),
    maxMs: wakeup.maxValue / 1000,
    sendAckP50Ms: ms(sendAck, 50),
    sendAckP99Ms: ms(sendAck, 99),
    sendAckMaxMs: sendAck.maxValue / 1000,
    afterAckP50Ms: ms(afterAck, 50),
    afterAckP99Ms: ms(afterAck, 99),
    afterAckMaxMs: afterAck.maxValue / 1000,
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
