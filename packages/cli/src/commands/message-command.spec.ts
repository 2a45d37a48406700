import { Producer, type SendResult } from '@tessera/client';
import type { BrokerRuntime } from '@tessera/kernel';
import { runTesseraInProcess as tessera } from '../testing/run-tessera-in-process';
import { startCliTestBroker, type CliTestBroker } from '../testing/start-cli-test-broker';

describe('tessera message', () => {
  let testBroker: CliTestBroker;
  let runtime: BrokerRuntime;
  let server: string;
  let first: SendResult;
  let second: SendResult;
  let from: number;
  let to: number;

  beforeAll(async () => {
    testBroker = await startCliTestBroker();
    runtime = testBroker.runtime;
    server = testBroker.server;
    await runtime.broker.topics.create({ name: 'orders', writeQueueCount: 2 });
    const producer = new Producer({ server });
    await producer.start();
    await producer.send({ topic: 'orders', body: 'early', keys: ['order-0'], queueId: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    from = Date.now();
    first = await producer.send({ topic: 'orders', body: 'hello', tag: 'TagA', keys: ['order-1'], properties: { region: 'eu' }, queueId: 0 });
    second = await producer.send({ topic: 'orders', body: Buffer.from([0, 1, 2]), keys: ['order-1'], queueId: 1 });
    to = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await producer.send({ topic: 'orders', body: 'late', keys: ['order-1'], queueId: 1 });
    await producer.shutdown();
  });

  afterAll(async () => {
    await testBroker.stop();
  });

  it('get prints a message by id, with its body as text or base64', async () => {
    const text = await tessera('message', 'get', '--id', first.msgId, '--server', server);
    expect(text.exitCode).toBe(0);
    expect(text.stdout.join('\n')).toMatch(new RegExp(`^msgId: +${first.msgId}\ntopic: +orders\nqueue: +0\n(.|\n)*tag: +TagA\nkeys: +order-1\nproperties: +region=eu\n(.|\n)*body: +hello$`));
    const binary = await tessera('message', 'get', '--id', second.msgId, '--json', '--server', server);
    expect(JSON.parse(binary.stdout[0]!)).toMatchObject({ msgId: second.msgId, queueId: 1, bodyEncoding: 'base64', body: 'AAEC' });
  });

  it('get fails with the broker\'s reason for an unknown id', async () => {
    const run = await tessera('message', 'get', '--id', 'FFFFFFFF00000000000FFFFF', '--server', server);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('message FFFFFFFF00000000000FFFFF does not exist');
  });

  it('query lists the messages with a key, and those stored within a time range', async () => {
    const byKey = await tessera('message', 'query', '--topic', 'orders', '--key', 'order-1', '--server', server);
    expect(byKey.exitCode).toBe(0);
    expect(byKey.stdout[0]).toMatch(/^MSG ID +QUEUE +OFFSET +STORED +TAG +KEYS +BYTES$/);
    expect(byKey.stdout.at(-1)).toBe('3 message(s)');
    const byTime = await tessera(
      'message', 'query', '--topic', 'orders', '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--json', '--server', server,
    );
    expect(byTime.exitCode).toBe(0);
    expect(byTime.stdout.map((line) => (JSON.parse(line) as { msgId: string }).msgId)).toEqual([first.msgId, second.msgId]);
    const limited = await tessera('message', 'query', '--topic', 'orders', '--key', 'order-1', '--max', '1', '--json', '--server', server);
    expect(limited.stdout).toHaveLength(1);
  });

  it('query refuses a command line that does not say what to look for', async () => {
    const neither = await tessera('message', 'query', '--topic', 'orders', '--server', server);
    expect(neither).toMatchObject({ exitCode: 2, stderr: 'tessera: message query needs --key K or --from ISO --to ISO\n' });
    const tooMany = await tessera('message', 'query', '--topic', 'orders', '--key', 'k', '--max', '5000', '--server', server);
    expect(tooMany.exitCode).toBe(2);
    const badTime = await tessera('message', 'query', '--topic', 'orders', '--from', 'yesterday', '--to', 'today', '--server', server);
    expect(badTime.exitCode).toBe(2);
  });
});
