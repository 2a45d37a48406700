import { AmqpTestClient, killAllBrokers, type AmqpTestSender } from '@tessera/testing';
import { startAmqpBroker, type AmqpBroker } from './support/amqp-broker';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

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

    const accepted = new Set<number>();
    let failedAttempts = 0;
    let next = 0;
    const kills: string[] = [];
    const startedAt = Date.now();
    // Kills happen while up to IN_FLIGHT transfers are outstanding: some never get an outcome.
    const crashWhenDue = async () => {
      while (kills.length < KILL_AT.length) {
        if (accepted.size >= KILL_AT[kills.length]!) {
          await running.broker.kill();
          kills.push(`SIGKILL after ${accepted.size} accepted`);
          running = await startAmqpBroker(dir, { ports: { amqpPort: running.amqpPort, nativePort: running.broker.port } });
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const sendAll = async () => {
      const worker = async () => {
        while (next < MESSAGES) {
          const seq = next++;
          for (let attempt = 0; !accepted.has(seq); attempt++) {
            if (attempt > 200) throw new Error(`message ${seq} was never accepted`);
            try {
              const outcome = await (await sender()).send({ durable: true, body: String(seq) });
              if (outcome.state !== 'accepted') throw new Error(`outcome ${JSON.stringify(outcome)}`);
              accepted.add(seq);
            } catch {
              failedAttempts++;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    };
    await Promise.all([sendAll(), crashWhenDue()]);

    await waitUntil(
      () => [...accepted].every((seq) => received.has(seq)),
      60_000,
      () => `${[...accepted].filter((seq) => !received.has(seq)).length} accepted messages not received; ${kills.join(', ')}`,
      200,
    );
    const duplicates = [...received.values()].reduce((sum, count) => sum + count - 1, 0);
    console.log(
      `AMQP crash: ${accepted.size} accepted, all received, ${duplicates} duplicate deliveries, ${failedAttempts} send attempts failed ` +
        `around the crashes; ${kills.join(', ')}; ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    );
    expect(accepted.size).toBe(MESSAGES);
    expect(kills).toHaveLength(2);
  });
});
