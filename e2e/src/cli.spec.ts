import { join } from 'node:path';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { runTessera, type TesseraRun } from './support/run-tessera';
import { makeTempDir, removeTempDir } from './support/temp-dir';

describe('the tessera command', () => {
  let dir: string;
  let broker: BrokerProcess;

  beforeAll(async () => {
    dir = makeTempDir();
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir });
  });

  afterAll(async () => {
    await killAllBrokers();
    removeTempDir(dir);
  });

  function tessera(...args: string[]): Promise<TesseraRun> {
    return runTessera([...args, '--server', broker.address], { cwd: dir, timeoutMs: 60_000 });
  }

  function lastLine(text: string): string {
    return text.trim().split('\n').at(-1) ?? '';
  }

  it('creates, lists, describes, updates and deletes a topic', async () => {
    expect(await tessera('topic', 'create', '--topic', 'cli-topic', '--queues', '4')).toMatchObject({ exitCode: 0 });
    const list = await tessera('topic', 'list', '--json');
    expect(list.exitCode).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((t) => t.name)).toContain('cli-topic');

    const describe = await tessera('topic', 'describe', '--topic', 'cli-topic', '--json');
    expect(describe.exitCode).toBe(0);
    const description = JSON.parse(describe.stdout) as { writeQueueCount: number; queues: unknown[] };
    expect(description.writeQueueCount).toBe(4);
    expect(description.queues).toHaveLength(4);

    expect(await tessera('topic', 'update', '--topic', 'cli-topic', '--perm', 'r')).toMatchObject({ exitCode: 0 });
    const refused = await tessera('produce', '--topic', 'cli-topic', '--body', 'x');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/not writable|permission/i);

    expect(await tessera('topic', 'delete', '--topic', 'cli-topic')).toMatchObject({ exitCode: 0 });
    const after = await tessera('topic', 'list', '--json');
    expect((JSON.parse(after.stdout) as Array<{ name: string }>).map((t) => t.name)).not.toContain('cli-topic');
  });

  it('produces and consumes 1,000 messages with JSON summaries', async () => {
    const produced = await tessera('produce', '--topic', 'cli-load', '--count', '1000', '--size', '1024', '--json');
    expect(produced.exitCode).toBe(0);
    const produceSummary = JSON.parse(lastLine(produced.stdout)) as Record<string, number>;
    expect(produceSummary).toMatchObject({ count: 1000, bytes: 1_024_000 });
    for (const field of ['seconds', 'msgsPerSec', 'mbPerSec']) expect(produceSummary[field]).toBeGreaterThan(0);

    const consumed = await tessera('consume', '--topic', 'cli-load', '--group', 'cli-group', '--count', '1000', '--timeout', '60', '--json');
    expect(consumed.exitCode).toBe(0);
    const consumeSummary = JSON.parse(lastLine(consumed.stdout)) as Record<string, number>;
    expect(consumeSummary).toMatchObject({ count: 1000, bytes: 1_024_000 });
    for (const field of ['seconds', 'msgsPerSec', 'mbPerSec']) expect(consumeSummary[field]).toBeGreaterThan(0);

    const batched = await tessera('produce', '--topic', 'cli-load', '--count', '1000', '--size', '100', '--batch', '100');
    expect(batched.exitCode).toBe(0);
    expect(lastLine(batched.stdout)).toMatch(/^produced 1000 messages \(0\.1 MB\) in [\d.]+ s: \d+ msgs\/s, [\d.]+ MB\/s$/);
  });

  it('exits non-zero when --timeout passes before --count messages arrived', async () => {
    expect((await tessera('produce', '--topic', 'cli-few', '--body', 'only one')).exitCode).toBe(0);
    const run = await tessera('consume', '--topic', 'cli-few', '--group', 'cli-few-group', '--count', '5', '--timeout', '2');
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('timed out after 2 s with 1 of 5 messages');
  });

  it('prints each message on one line with --print', async () => {
    const sent = await tessera('produce', '--topic', 'cli-print', '--body', 'hello tessera', '--key', 'order-7', '--tag', 'created', '--property', 'region=eu');
    expect(sent.exitCode).toBe(0);
    const run = await tessera('consume', '--topic', 'cli-print', '--group', 'printer', '--count', '1', '--timeout', '30', '--print');
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^cli-print\tqueue=\d+\toffset=0\ttag=created\tkeys=order-7\tbody="hello tessera"$/);
  });

  it('rejects bad arguments with a message naming the option', async () => {
    const run = await tessera('produce', '--topic', 't', '--count', 'many', '--size', '10');
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('--count must be a whole number');
  });

  it('says the port is in use when another broker holds it', async () => {
    const run = await runTessera(['start', '--data-dir', join(dir, 'second'), '--port', String(broker.port)], { cwd: dir, timeoutMs: 30_000 });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('already in use');
  });
});
