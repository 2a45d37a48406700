import { Producer, type Message } from '@tessera/client';

export interface ProduceLoad {
  /** Messages per request: 1 sends them one by one with `send`, more with `sendBatch`. */
  batchSize: number;
  /** With single sends: let the SDK coalesce sends made in the same tick into one request. */
  autoBatch: boolean;
  producerCount: number;
  requestsInFlightPerProducer: number;
  messageBytes: number;
  durationMs: number;
}

export interface ProduceThroughput extends ProduceLoad {
  ackedMessages: number;
  failedRequests: number;
  /** Why the first failed request failed, so a broken run says so. */
  firstError?: string;
  seconds: number;
  msgsPerSec: number;
  mbPerSec: number;
}

/** Sends 1 KiB messages as fast as acks come back, for `durationMs`; counts acked messages. */
export async function measureProduceThroughput(server: string, topic: string, load: ProduceLoad): Promise<ProduceThroughput> {
  const body = Buffer.alloc(load.messageBytes, 'x');
  const batch: Message[] = Array.from({ length: load.batchSize }, () => ({ topic, body }));
  const producers = Array.from({ length: load.producerCount }, () => new Producer({ server, autoBatch: load.autoBatch }));
  await Promise.all(producers.map((p) => p.start()));
  let ackedMessages = 0;
  let failedRequests = 0;
  let firstError: string | undefined;
  const startedAt = process.hrtime.bigint();
  const deadline = Date.now() + load.durationMs;
  try {
    await Promise.all(
      producers.flatMap((producer) =>
        Array.from({ length: load.requestsInFlightPerProducer }, async () => {
          while (Date.now() < deadline) {
            try {
              if (load.batchSize === 1) await producer.send(batch[0]!);
              else await producer.sendBatch(batch);
              ackedMessages += load.batchSize;
            } catch (error) {
              failedRequests++;
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
  return {
    ...load,
    ackedMessages,
    failedRequests,
    firstError,
    seconds,
    msgsPerSec: ackedMessages / seconds,
    mbPerSec: (ackedMessages * load.messageBytes) / 1e6 / seconds,
  };
}
