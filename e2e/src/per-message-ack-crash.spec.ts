import { join } from 'node:path';
import { Admin, Producer, ReceiptStaleError, SimpleConsumer, type LeasedMessage, type Message } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { runInParallel } from '@tessera/kernel';
import { AckLedger, type AckOutcome } from './support/ack-ledger';
import { seededRandom } from './support/seeded-random';
import { settleWithin } from './support/settle-within';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const TOPIC = 'pop-crash';
const GROUP = 'pop-crash-group';
const QUEUE_COUNT = 4;
const MESSAGE_COUNT = 50_000;
const PRODUCE_BATCH = 250;
const CONSUMER_COUNT = 3;
const RECEIVE_BATCH = 32;
const INVISIBLE_MS = 1_500;
const AWAIT_MS = 1_000;
const ACK_SHARE = 0.8;
const NACK_SHARE = 0.1;
const CRASH_AT_OK_ACKS = MESSAGE_COUNT * 0.4;
/** Longer than a lease plus a long poll: whatever is still leased or nacked has come back by then. */
const QUIET_MS = 2 * INVISIBLE_MS + AWAIT_MS;
const RETRY_PAUSE_MS = 50;
const SEED = Number(process.env.TESSERA_SEED ?? Math.floor(Math.random() * 2 ** 32));

type Fate = 'ack' | 'nack' | 'ignore';

/** The same message on the same delivery meets the same fate in every run with this seed. */
function fateOf(seq: number, deliveryCount: number): Fate {
  const draw = seededRandom((SEED ^ Math.imul(seq + 1, 0x9e3779b1) ^ Math.imul(deliveryCount, 0x85ebca6b)) >>> 0)();
  return draw < ACK_SHARE ? 'ack' : draw < ACK_SHARE + NACK_SHARE ? 'nack' : 'ignore';
}

describe('per-message-ack consumption across a broker SIGKILL', () => {
  let dir: string;
  const clients: Array<{ shutdown(): Promise<void> }> = [];

  beforeAll(() => {
    dir = makeTempDir();
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  async function started<T extends { start(): Promise<void>; shutdown(): Promise<void> }>(client: T): Promise<T> {
    clients.push(client);
    await client.start();
    return client;
  }

  it('acks each of 50,000 messages exactly once under random ack, nack and lease expiry, with delivery counts in step', async () => {
    console.log(`per-message-ack crash: seed ${SEED} (replay with TESSERA_SEED=${SEED})`);
    const dataDir = join(dir, 'data');
    let broker = await BrokerProcess.start({ dataDir, cwd: dir });
    const admin = await started(new Admin({ server: broker.address }));
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });

    const producer = await started(new Producer({ server: broker.address, retries: 0 }));
    await runInParallel(MESSAGE_COUNT / PRODUCE_BATCH, 8, async (batch) => {
      const messages: Message[] = Array.from({ length: PRODUCE_BATCH }, (_, i) => {
        const seq = batch * PRODUCE_BATCH + i;
        return { topic: TOPIC, body: Buffer.from(`pop-${seq}`), properties: { seq: String(seq) } };
      });
      await producer.sendBatch(messages, { queueId: batch % QUEUE_COUNT });
    });
    await producer.shutdown();

    const ledger = new AckLedger(MESSAGE_COUNT);
    const tally = { nacks: 0, ignored: 0, failedNacks: 0, failedReceives: 0 };
    const loopErrors: string[] = [];
    let stopping = false;
    const seqOf = (message: LeasedMessage) => Number(message.properties.seq);

    const ack = async (consumer: SimpleConsumer, messages: LeasedMessage[]) => {
      if (messages.length === 0) return;
      const sentAt = ledger.ackSent();
      let outcomeOf: (message: LeasedMessage) => AckOutcome;
      try {
        await consumer.ack(messages);
        outcomeOf = () => 'OK';
      } catch (error) {
        // The SDK settles what it can and names the stale receipts (none named: the broker refused them all);
        // any other failure leaves the outcome unknown.
        const stale = error instanceof ReceiptStaleError ? new Set(error.staleReceipts) : undefined;
        outcomeOf = (message) => (stale === undefined ? 'UNKNOWN' : stale.size === 0 || stale.has(message.receipt) ? 'STALE' : 'OK');
      }
      for (const message of messages) ledger.acked(seqOf(message), outcomeOf(message), sentAt);
    };
    const nack = async (consumer: SimpleConsumer, messages: LeasedMessage[]) => {
      if (messages.length === 0) return;
      tally.nacks += messages.length;
      await consumer.nack(messages).catch((error: Error) => {
        if (!(error instanceof ReceiptStaleError)) tally.failedNacks += messages.length;
      });
    };
    const consumeUntilStopped = async (consumer: SimpleConsumer, name: string) => {
      while (!stopping) {
        const epoch = ledger.epoch;
        let leased: LeasedMessage[];
        try {
          leased = await consumer.receive(RECEIVE_BATCH);
        } catch {
          // The broker is down or restarting: try again shortly.
          tally.failedReceives++;
          await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
          continue;
        }
        const fates: Record<Fate, LeasedMessage[]> = { ack: [], nack: [], ignore: [] };
        for (const message of leased) {
          ledger.delivered(seqOf(message), message.deliveryCount, name, epoch);
          fates[fateOf(seqOf(message), message.deliveryCount)].push(message);
        }
        tally.ignored += fates.ignore.length;
        await Promise.all([ack(consumer, fates.ack), nack(consumer, fates.nack)]);
      }
    };

    const startedAt = Date.now();
    const loops: Promise<void>[] = [];
    for (let i = 0; i < CONSUMER_COUNT; i++) {
      const name = `pop-${i}`;
      const consumer = await started(
        new SimpleConsumer({ server: broker.address, group: GROUP, topic: TOPIC, clientId: name, invisibleMs: INVISIBLE_MS, awaitDurationMs: AWAIT_MS }),
      );
      loops.push(consumeUntilStopped(consumer, name).catch((error: Error) => void loopErrors.push(`${name}: ${error.stack ?? error.message}`)));
    }

    await waitUntil(() => ledger.okAcks >= CRASH_AT_OK_ACKS, 180_000, () => `only ${ledger.okAcks} acked OK`);
    ledger.crashed();
    const killed = await broker.kill();
    expect(killed.signal).toBe('SIGKILL');
    const crashedAt = Date.now();
    const okAtCrash = ledger.okAcks;
    broker = await BrokerProcess.start({ dataDir, cwd: dir, port: broker.port });
    const restartMs = Date.now() - crashedAt;

    await waitUntil(
      () => ledger.settledCount() === MESSAGE_COUNT && Date.now() - ledger.lastDeliveryAt > QUIET_MS,
      240_000,
      () => `${ledger.settledCount()} of ${MESSAGE_COUNT} settled, last delivery ${Date.now() - ledger.lastDeliveryAt} ms ago`,
      200,
    );
    const settledAt = Date.now();
    stopping = true;
    expect(await settleWithin(Promise.all(loops), AWAIT_MS + 10_000)).toBe(true);

    const checker = await started(
      new SimpleConsumer({ server: broker.address, group: GROUP, topic: TOPIC, clientId: 'pop-checker', invisibleMs: INVISIBLE_MS, awaitDurationMs: QUIET_MS }),
    );
    const leftOver = await checker.receive(RECEIVE_BATCH);

    console.log(
      `per-message-ack crash: ${ledger.deliveries} deliveries, ${tally.nacks} nacks, ${tally.ignored} left to expire, ` +
        `${ledger.okAcks} acks OK, ${ledger.staleAcks} stale, ${ledger.unknownCount()} messages with an ack lost at the crash (${MESSAGE_COUNT - ledger.okAcks} of those acks had been stored); ` +
        `SIGKILL after ${okAtCrash} OK acks, restart took ${restartMs} ms, ${tally.failedReceives} receives and ${tally.failedNacks} nacks failed meanwhile; ` +
        `all settled after ${((settledAt - startedAt) / 1000).toFixed(1)} s`,
    );
    expect(loopErrors).toEqual([]);
    expect(ledger.problems().slice(0, 20)).toEqual([]);
    expect(leftOver.map((m) => `${m.properties.seq}#${m.deliveryCount}`)).toEqual([]);
  });
});
