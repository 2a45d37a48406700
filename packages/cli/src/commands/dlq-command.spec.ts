import { featureRetryPlugin } from '@tessera/feature-retry';
import { SystemProperties, type Broker, type BrokerRuntime, type StoredMessage } from '@tessera/kernel';
import { runTesseraInProcess as tessera } from '../testing/run-tessera-in-process';
import { startCliTestBroker, type CliTestBroker } from '../testing/start-cli-test-broker';

describe('tessera dlq', () => {
  let testBroker: CliTestBroker;
  let runtime: BrokerRuntime;
  let broker: Broker;
  let server: string;
  const deadLetters: StoredMessage[] = [];
  const originals: StoredMessage[] = [];

  async function lastOf(topic: string): Promise<StoredMessage> {
    const { maxOffset } = broker.queueRange(topic, 0);
    return (await broker.pull({ topic, queueId: 0, offset: maxOffset - 1, maxCount: 1, maxBytes: 1 << 20 })).messages[0]!;
  }

  beforeAll(async () => {
    testBroker = await startCliTestBroker([{ plugin: featureRetryPlugin, options: { maxReconsumeTimes: 0 } }]);
    runtime = testBroker.runtime;
    broker = runtime.broker;
    server = testBroker.server;
    await broker.topics.create({ name: 'orders', writeQueueCount: 1 });
    await broker.topics.create({ name: 'audit', writeQueueCount: 1 });
    const inputs = [
      { topic: 'orders', body: Buffer.from('first'), tag: 'paid', keys: ['o-1'], properties: { region: 'eu' } },
      { topic: 'audit', body: Buffer.from('second'), keys: [] },
    ];
    for (const [index, input] of inputs.entries()) {
      const [sent] = await broker.produce([input], { protocol: 'native' });
      const original = (await broker.getMessageById(sent!.msgId))!;
      originals.push(original);
      await broker.reportConsumeFailure({ group: 'billing', message: original, reason: `failure\t${index + 1}` });
      deadLetters.push(await lastOf('%DLQ%billing'));
    }
  });

  afterAll(async () => {
    await testBroker.stop();
  });

  it('lists dead letters with their origin, failures and last reason', async () => {
    const run = await tessera('dlq', 'list', '--group', 'billing', '--server', server);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    const stored = (message: StoredMessage) => new Date(message.storeTimestamp).toISOString();
    expect(run.stdout).toEqual([
      `${deadLetters[0]!.msgId}\ttopic=orders\torigin=${originals[0]!.msgId}\tfailures=1\treason="failure\\t1"\tstored=${stored(deadLetters[0]!)}`,
      `${deadLetters[1]!.msgId}\ttopic=audit\torigin=${originals[1]!.msgId}\tfailures=1\treason="failure\\t2"\tstored=${stored(deadLetters[1]!)}`,
    ]);
    const json = await tessera('dlq', 'list', '--group', 'billing', '--server', server, '--max', '1', '--json');
    expect(JSON.parse(json.stdout[0]!)).toEqual([
      {
        msgId: deadLetters[0]!.msgId,
        topic: 'orders',
        originMsgId: originals[0]!.msgId,
        failures: 1,
        reason: 'failure\t1',
        storeTimestamp: deadLetters[0]!.storeTimestamp,
      },
    ]);
  });

  it('says so when a group has no dead letters', async () => {
    expect(await tessera('dlq', 'list', '--group', 'nobody', '--server', server)).toEqual({
      exitCode: 0,
      stdout: ['group nobody has no dead letters'],
      stderr: '',
    });
  });

  it('shows a dead letter in full, and refuses a message that is not one of the group', async () => {
    const run = await tessera('dlq', 'show', '--group', 'billing', '--id', deadLetters[0]!.msgId, '--server', server);
    expect(run.exitCode).toBe(0);
    const field = (name: string, value: string) => `${`${name}:`.padEnd(12)}${value}`;
    const lines = run.stdout.flatMap((line) => line.split('\n'));
    expect(lines).toEqual(
      expect.arrayContaining([field('msgId', deadLetters[0]!.msgId), field('topic', '%DLQ%billing'), field('tag', 'paid'), field('keys', 'o-1'), field('body', 'first')]),
    );
    const properties = lines.find((line) => line.startsWith('properties:'));
    expect(properties).toContain(`${SystemProperties.REAL_TOPIC}=orders`);
    expect(properties).toContain('region=eu');
    const elsewhere = await tessera('dlq', 'show', '--group', 'billing', '--id', originals[0]!.msgId, '--server', server);
    expect(elsewhere).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('is not a dead letter of group billing: it is in topic orders') });
    const otherGroup = await tessera('dlq', 'show', '--group', 'shipping', '--id', deadLetters[0]!.msgId, '--server', server);
    expect(otherGroup.exitCode).toBe(1);
  });

  it('resends a dead letter to its original topic without the markers, as often as asked', async () => {
    for (let time = 1; time <= 2; time++) {
      const run = await tessera('dlq', 'resend', '--group', 'billing', '--id', deadLetters[0]!.msgId, '--server', server);
      expect(run.exitCode).toBe(0);
      const resent = await lastOf('orders');
      expect(run.stdout).toEqual([`resent ${deadLetters[0]!.msgId} to orders as ${resent.msgId}`, 'resent 1 dead letter(s) of group billing']);
      expect(resent).toMatchObject({ body: Buffer.from('first'), tag: 'paid', keys: ['o-1'], properties: { region: 'eu' }, reconsumeTimes: 0 });
    }
    expect(broker.queueRange('orders', 0).maxOffset).toBe(3);
  });

  it('resends every dead letter with --all', async () => {
    const before = [broker.queueRange('orders', 0).maxOffset, broker.queueRange('audit', 0).maxOffset];
    const run = await tessera('dlq', 'resend', '--group', 'billing', '--all', '--server', server, '--json');
    expect(run.exitCode).toBe(0);
    expect(run.stdout.map((line) => JSON.parse(line))).toEqual([
      { msgId: deadLetters[0]!.msgId, topic: 'orders', newMsgId: (await lastOf('orders')).msgId },
      { msgId: deadLetters[1]!.msgId, topic: 'audit', newMsgId: (await lastOf('audit')).msgId },
    ]);
    expect([broker.queueRange('orders', 0).maxOffset, broker.queueRange('audit', 0).maxOffset]).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  it('needs exactly one of --id and --all', async () => {
    const neither = await tessera('dlq', 'resend', '--group', 'billing', '--server', server);
    expect(neither).toMatchObject({ exitCode: 2, stderr: 'tessera: dlq resend needs either --id ID or --all\n' });
    const both = await tessera('dlq', 'resend', '--group', 'billing', '--id', deadLetters[0]!.msgId, '--all', '--server', server);
    expect(both.exitCode).toBe(2);
  });
});
