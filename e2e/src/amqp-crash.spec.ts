import { AmqpTestClient, killAllBrokers, type AmqpTestSender } from '@tessera/testing';
import { startAmqpBroker, type AmqpBroker } from './support/amqp-broker';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { expectEveryConfirmedReceived, sendThroughCrashes } from './support/send-through-crashes';

const MESSAGES = 10_000;
const IN_FLIGHT = 32;
const KILL_AT = [3_000, 6_500];
const SEND_TIMEOUT_MS = 5_000;
const ADDRESS = '/queues/crash-load';

describe('AMQP durable transfers across broker crashes', () => {
  let dir: string;
  let running: AmqpBroker;
  const clients: AmqpTestClient[] = [];
  let stopped = false;

  beforeAll(() => {
    dir = makeTempDir();
  });

  afterAll(async () => {
    stopped = true;
    for (const client of clients) client.destroy();
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('delivers every message whose transfer was settled accepted, through two SIGKILLs', async () => {
    running = await startAmqpBroker(dir);
    const connect = async () => {
      const client = await AmqpTestClient.connect({ port: running.amqpPort, timeoutMs: SEND_TIMEOUT_MS });
      clients.push(client);
      return client;
    };

    // The consumer re-attaches after each crash; what it was sent but had not settled comes again.
    const received = new Map<number, number>();
    const consume = async () => {
      while (!stopped) {
        try {
          const client = await connect();
          const receiver = await client.openReceiver(ADDRESS, { credit: 200 });
          receiver.link.on('message', (context) => {
            const seq = Number(context.message!.body);
            received.set(seq, (received.get(seq) ?? 0) + 1);
          });
          await new Promise<void>((resolve) => client.connection.once('disconnected', () => resolve()));
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };
    void consume();

    let sending: Promise<AmqpTestSender> | undefined;
    const sender = () => {
      sending ??= connect().then((client) => {
        client.connection.once('disconnected', () => (sending = undefined));
        return client.openSender(ADDRESS);
      });
      sending.catch(() => (sending = undefined));
      return sending;
    };

    const run = await sendThroughCrashes({
      messages: MESSAGES,
      inFlight: IN_FLIGHT,
      killAt: KILL_AT,
      confirmation: 'accepted',
      send: async (seq) => {
        const outcome = await (await sender()).send({ durable: true, body: String(seq) });
        if (outcome.state !== 'accepted') throw new Error(`outcome ${JSON.stringify(outcome)}`);
      },
      crashAndRestart: async () => {
        await running.broker.kill();
        running = await startAmqpBroker(dir, { ports: { amqpPort: running.amqpPort, nativePort: running.broker.port } });
      },
    });
    const duplicates = await expectEveryConfirmedReceived(run, received);
    console.log(
      `AMQP crash: ${run.confirmed.size} accepted, all received, ${duplicates} duplicate deliveries, ${run.failedAttempts} send attempts failed ` +
        `around the crashes; ${run.kills.join(', ')}; ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s`,
    );
    expect(run.confirmed.size).toBe(MESSAGES);
    expect(run.kills).toHaveLength(2);
  });
});
