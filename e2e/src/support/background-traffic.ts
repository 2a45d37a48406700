import { Producer, PullConsumer } from '@tessera/client';

/**
 * Another client going about its business: send a message, pull it back, repeat. Counts round
 * trips that worked and keeps the errors, so a test can show the broker kept serving it.
 */
export class BackgroundTraffic {
  roundTrips = 0;
  readonly errors: string[] = [];
  private stopping = false;
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: PullConsumer,
    private readonly topic: string,
  ) {}

  static async start(server: string, topic: string): Promise<BackgroundTraffic> {
    const producer = new Producer({ server, sendTimeoutMs: 5_000 });
    const consumer = new PullConsumer({ server });
    await producer.start();
    await consumer.start();
    const traffic = new BackgroundTraffic(producer, consumer, topic);
    traffic.loop = traffic.run();
    return traffic;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    await Promise.allSettled([this.producer.shutdown(), this.consumer.shutdown()]);
  }

  private async run(): Promise<void> {
    for (let sequence = 0; !this.stopping; sequence++) {
      const body = `background-${sequence}`;
      try {
        const sent = await this.producer.send({ topic: this.topic, body });
        const pulled = await this.consumer.pull({ topic: this.topic, queueId: sent.queueId, offset: sent.queueOffset, maxCount: 1, maxWaitMs: 1_000 });
        if (pulled.messages[0]?.body.toString() !== body) this.errors.push(`pull of ${sent.msgId} returned ${pulled.status}`);
        else this.roundTrips++;
      } catch (error) {
        this.errors.push((error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
