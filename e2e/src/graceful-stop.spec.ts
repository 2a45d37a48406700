import { join } from 'node:path';
import { PullConsumer } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { ContinuousProducers } from './support/continuous-producers';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { verifyAckedMessages } from './support/verify-acked-messages';
import { waitUntil } from './support/wait-until';

const TOPIC = 'graceful';

describe('SIGTERM while producing', () => {
  let dir: string;
  let consumer: PullConsumer | undefined;

  beforeAll(() => {
    dir = makeTempDir();
  });

  afterAll(async () => {
    await consumer?.shutdown();
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('exits 0, and every acked message is there after a restart', async () => {
    const dataDir = join(dir, 'data');
    const broker = await BrokerProcess.start({ dataDir, cwd: dir });
    const load = await ContinuousProducers.start({
      server: broker.address,
      topic: TOPIC,
      producerCount: 2,
      sendsInFlightPerProducer: 16,
      minBodyBytes: 10,
      maxBodyBytes: 2_000,
      sendTimeoutMs: 5_000,
    });
    await waitUntil(() => load.acked.length >= 2_000, 60_000, () => `only ${load.acked.length} acked`);
    const exit = await broker.stop();
    await load.stop();
    console.log(`SIGTERM after ${load.acked.length} acked sends; ${load.failedSends} sends refused while stopping`);
    expect(exit).toEqual({ code: 0, signal: null });

    const restarted = await BrokerProcess.start({ dataDir, cwd: dir, port: broker.port });
    consumer = new PullConsumer({ server: restarted.address });
    await consumer.start();
    expect(await verifyAckedMessages(consumer, TOPIC, load.acked)).toEqual([]);
    expect(await restarted.stop()).toEqual({ code: 0, signal: null });
  });
});
