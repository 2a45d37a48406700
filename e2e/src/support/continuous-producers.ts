import { randomBytes } from 'node:crypto';
import { Producer } from '@tessera/client';
import { settleWithin } from './settle-within';
import { sha256 } from './sha256';

export interface AckedMessage {
  queueId: number;
  queueOffset: number;
  msgId: string;
  hash: string;
  body: Buffer;
}

export interface ContinuousProducersOptions {
  server: string;
  topic: string;
  producerCount: number;
  sendsInFlightPerProducer: number;
  minBodyBytes: number;
  maxBodyBytes: number;
  sendTimeoutMs: number;
}

/**
 * Producers that send without pause until stopped, keeping every message whose send resolved
 * (was acked). Sends that fail (the broker was killed or is stopping) are counted, not retried.
 */
export class ContinuousProducers {
  readonly acked: AckedMessage[] = [];
  failedSends = 0;
  private stopping = false;
  private readonly workers: Promise<void>[] = [];
  private readonly producers: Producer[] = [];

  private constructor(private readonly options: ContinuousProducersOptions) {}

  static async start(options: ContinuousProducersOptions): Promise<ContinuousProducers> {
    const load = new ContinuousProducers(options);
    for (let i = 0; i < options.producerCount; i++) {
      const producer = new Producer({ server: options.server, sendTimeoutMs: options.sendTimeoutMs, retries: 0 });
      await producer.start();
      load.producers.push(producer);
      for (let w = 0; w < options.sendsInFlightPerProducer; w++) load.workers.push(load.sendUntilStopped(producer));
    }
    return load;
  }

  /** Stops sending, waits (bounded) for sends in flight to settle and closes the producers. */
  async stop(): Promise<void> {
    this.stopping = true;
    const bound = this.options.sendTimeoutMs + 5_000;
    await settleWithin(Promise.allSettled(this.workers), bound);
    await settleWithin(Promise.allSettled(this.producers.map((p) => p.shutdown())), bound);
  }

  private async sendUntilStopped(producer: Producer): Promise<void> {
    const { topic, minBodyBytes, maxBodyBytes } = this.options;
    while (!this.stopping) {
      const body = randomBytes(minBodyBytes + Math.floor(Math.random() * (maxBodyBytes - minBodyBytes + 1)));
      try {
        const result = await producer.send({ topic, body });
        this.acked.push({ queueId: result.queueId, queueOffset: result.queueOffset, msgId: result.msgId, hash: sha256(body), body });
      } catch {
        this.failedSends++;
        // A dead broker fails sends at once; don't spin on it.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}
