import { Producer, PushConsumer } from '@tessera/client';
import type { BrokerRuntime } from '@tessera/kernel';
import { runTesseraInProcess as tessera } from '../testing/run-tessera-in-process';
import { startCliTestBroker, type CliTestBroker } from '../testing/start-cli-test-broker';

describe('tessera group', () => {
  let testBroker: CliTestBroker;
  let runtime: BrokerRuntime;
  let server: string;
  let producer: Producer;
  let consumer: PushConsumer;
  let between: number;

  beforeAll(async () => {
    testBroker = await startCliTestBroker();
    runtime = testBroker.runtime;
    server = testBroker.server;
    await runtime.broker.topics.create({ name: 'orders', writeQueueCount: 2 });
    producer = new Producer({ server });
    await producer.start();
    await producer.sendBatch([{ topic: 'orders', body: 'a' }, { topic: 'orders', body: 'b' }], { queueId: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    between = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await producer.sendBatch([{ topic: 'orders', body: 'c' }], { queueId: 0 });
    await producer.sendBatch([{ topic: 'orders', body: 'd' }], { queueId: 1 });
    consumer = new PushConsumer({
      server,
      group: 'billing',
      topic: 'orders',
      clientId: 'member-1',
      allocationStrategy: 'sticky',
      consumeFrom: 'earliest',
      autoCommitIntervalMs: 50,
      listener: () => 'SUCCESS',
    });
    await consumer.start();
    const deadline = Date.now() + 5000;
    while (runtime.broker.committedOffset('billing', 'orders', 0) !== 3 || runtime.broker.committedOffset('billing', 'orders', 1) !== 1) {
      if (Date.now() > deadline) throw new Error('the group did not commit its 4 messages within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // A group without members: committed on queue 0 only.
    runtime.broker.commitOffset('audit', 'orders', 0, 1);
  });

  afterAll(async () => {
    await consumer.shutdown();
    await producer.shutdown();
    await testBroker.stop();
  });

  it('lists groups', async () => {
    // Other tests add groups by resetting them; these two exist from the start.
    const run = await tessera('group', 'list', '--server', server);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout).toEqual(expect.arrayContaining(['audit', 'billing']));
    const json = await tessera('group', 'list', '--server', server, '--json');
    expect(JSON.parse(json.stdout[0]!)).toEqual(expect.arrayContaining(['audit', 'billing']));
  });

  it('describes members with their strategy and the owner of each queue', async () => {
    const run = await tessera('group', 'describe', '--group', 'billing', '--server', server);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toEqual([
      'billing\tmembers=1',
      expect.stringMatching(/^ {2}member member-1\tmodel=CLUSTERING\tstrategy=sticky\ttopics=%RETRY%billing,orders\tlastHeartbeat=\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      '  orders\tqueue 0\towner=member-1',
      '  orders\tqueue 1\towner=member-1',
    ]);
  });

  it('shows progress per queue with a total lag line', async () => {
    const run = await tessera('group', 'progress', '--group', 'audit', '--topic', 'orders', '--server', server);
    expect(run).toEqual({
      exitCode: 0,
      stdout: ['orders\tqueue 0\tcommitted=1\tmax=3\tlag=2\towner=-', 'orders\tqueue 1\tcommitted=-\tmax=1\tlag=1\towner=-', 'total lag=3'],
      stderr: '',
    });
    const json = await tessera('group', 'progress', '--group', 'billing', '--server', server, '--json');
    expect(JSON.parse(json.stdout[0]!)).toEqual({
      totalLag: 0,
      queues: [
        { topic: 'orders', queueId: 0, committedOffset: 3, minOffset: 0, maxOffset: 3, lag: 0, owner: 'member-1' },
        { topic: 'orders', queueId: 1, committedOffset: 1, minOffset: 0, maxOffset: 1, lag: 0, owner: 'member-1' },
      ],
    });
  });

  it('resets offsets to an offset or to a time', async () => {
    const toOffset = await tessera('group', 'reset-offset', '--group', 'replay', '--topic', 'orders', '--to-offset', '1', '--server', server);
    expect(toOffset).toEqual({
      exitCode: 0,
      stdout: ['orders\tqueue 0\toffset=1', 'orders\tqueue 1\toffset=1', 'reset group replay on topic orders: 2 queue(s)'],
      stderr: '',
    });
    const toTime = await tessera(
      'group', 'reset-offset', '--group', 'replay', '--topic', 'orders', '--to-time', new Date(between).toISOString(), '--server', server, '--json',
    );
    expect(toTime.exitCode).toBe(0);
    expect(JSON.parse(toTime.stdout[0]!)).toEqual([
      { queueId: 0, offset: 2 },
      { queueId: 1, offset: 0 },
    ]);
    expect(runtime.broker.committedOffset('replay', 'orders', 0)).toBe(2);
  });

  it('refuses a bad reset target with a clear message and exit code 2', async () => {
    const base = ['group', 'reset-offset', '--group', 'replay', '--topic', 'orders', '--server', server];
    const badTime = await tessera(...base, '--to-time', '2025-03-01 12:00');
    expect(badTime.exitCode).toBe(2);
    expect(badTime.stderr).toContain('--to-time must be an ISO 8601 date-time with a time zone');
    const both = await tessera(...base, '--to-offset', '0', '--to-time', '2025-03-01T12:00:00Z');
    expect(both).toMatchObject({ exitCode: 2, stderr: 'tessera: use either --to-offset or --to-time, not both\n' });
    expect(await tessera(...base)).toMatchObject({ exitCode: 2, stderr: 'tessera: reset-offset needs --to-offset N or --to-time ISO-8601\n' });
    expect((await tessera('group', 'reset-offset', '--group', 'billing', '--server', server, '--to-offset', '0')).exitCode).toBe(2);
  });
});
