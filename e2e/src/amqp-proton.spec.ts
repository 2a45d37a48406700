import { join } from 'node:path';
import { BrokerProcess, freePort, killAllBrokers } from '@tessera/testing';
import { runProtonExample, startProtonExample, startProtonPython, type ProtonExampleRun } from './support/proton-example';
import { makeTempDir, removeTempDir } from './support/temp-dir';

const WAIT_MS = 20_000;
const TX_CLIENT = join(__dirname, 'support', 'proton-tx-client.py');

/** The lines an example printed to stdout, in order. */
function lines(run: ProtonExampleRun): string[] {
  return run.stdout.split('\n').filter((line) => line.length > 0);
}

/** The examples exit 0 even when the broker refused them: a clean run also printed nothing to stderr. */
function expectExitedCleanly(run: ProtonExampleRun): void {
  if (run.exitCode !== 0 || run.killed || run.stderr !== '') {
    throw new Error(`the client did not exit cleanly: exit code ${run.exitCode}${run.killed ? ' (killed)' : ''}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`);
  }
}

/** This project's transactional client: declares a transaction, sends `messages` bodies `<tag>-<i>`, commits or rolls back. */
function runTxClient(port: number, address: string, outcome: 'commit' | 'rollback', tag: string, messages: number): Promise<ProtonExampleRun> {
  const args = [TX_CLIENT, '-a', `127.0.0.1:${port}/${address}`, '-m', String(messages), '-o', outcome, '-t', tag, '--timeout', '10'];
  return startProtonPython(args, WAIT_MS).finished;
}

describe("AMQP 1.0 with Qpid Proton's Python examples against a default-distribution broker process", () => {
  let dir: string;
  let port: number;

  beforeAll(async () => {
    dir = makeTempDir();
    port = await freePort();
    await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir, amqpPort: port });
  });

  afterAll(async () => {
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('simple_send.py gets 100 messages accepted and simple_recv.py receives each of them once', async () => {
    const sent = await runProtonExample('simple_send.py', { port, address: 'proton-simple', args: ['-m', '100'], timeoutMs: WAIT_MS });
    expectExitedCleanly(sent);
    expect(lines(sent)).toEqual(['all messages confirmed']);

    // simple_recv.py ignores a message whose id is below the count it received so far, taking it for
    // a redelivery: it gets all 100 only from a queue that delivers in send order.
    const received = await runProtonExample('simple_recv.py', { port, address: 'proton-simple', args: ['-m', '100'], timeoutMs: WAIT_MS });
    expectExitedCleanly(received);
    const sequences = lines(received).map((line) => Number(/^\{'sequence': (\d+)\}$/.exec(line)?.[1] ?? Number.NaN));
    expect(sequences.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('client.py gets its requests answered by server.py through a dynamic reply queue and the anonymous relay', async () => {
    const server = startProtonExample('server.py', { port, address: 'proton-requests', timeoutMs: WAIT_MS });
    try {
      const client = await runProtonExample('client.py', { port, address: 'proton-requests', timeoutMs: WAIT_MS });
      expectExitedCleanly(client);
      expect(lines(client)).toEqual([
        'Twas brillig, and the slithy toves => TWAS BRILLIG, AND THE SLITHY TOVES',
        'Did gire and gymble in the wabe. => DID GIRE AND GYMBLE IN THE WABE.',
        'All mimsy were the borogroves, => ALL MIMSY WERE THE BOROGROVES,',
        'And the mome raths outgrabe. => AND THE MOME RATHS OUTGRABE.',
      ]);
    } finally {
      server.stop();
    }
    const served = await server.finished;
    expect(served.stdout.match(/^Received /gm)).toHaveLength(4);
    expect(served.stderr).toBe('');
  });

  it('queue_browser.py browses a queue without taking its messages', async () => {
    expectExitedCleanly(await runProtonExample('simple_send.py', { port, address: 'proton-browsed', args: ['-m', '5'], timeoutMs: WAIT_MS }));

    const browsed = await runProtonExample('queue_browser.py', { port, address: 'proton-browsed', timeoutMs: WAIT_MS });
    expectExitedCleanly(browsed);
    const bodies = lines(browsed).map((line) => /body=\{'sequence': (\d+)\}/.exec(line)?.[1]);
    // It closes once its local queue is empty, so it may print only the first of those that came in one go.
    expect(bodies.length).toBeGreaterThanOrEqual(1);
    expect(bodies).toEqual(['1', '2', '3', '4', '5'].slice(0, bodies.length));

    const received = await runProtonExample('simple_recv.py', { port, address: 'proton-browsed', args: ['-m', '5'], timeoutMs: WAIT_MS });
    expectExitedCleanly(received);
    expect(lines(received)).toHaveLength(5);
  });

  it('a transaction that commits delivers its messages once; one that rolls back delivers none', async () => {
    const rolledBack = await runTxClient(port, 'proton-tx', 'rollback', 'rolled-back', 10);
    expectExitedCleanly(rolledBack);
    expect(lines(rolledBack).at(-1)).toBe('rolled back 10');
    const committed = await runTxClient(port, 'proton-tx', 'commit', 'committed', 10);
    expectExitedCleanly(committed);
    expect(lines(committed).at(-1)).toBe('committed 10');

    const received = await runProtonExample('simple_recv.py', { port, address: 'proton-tx', args: ['-m', '10'], timeoutMs: WAIT_MS });
    expectExitedCleanly(received);
    expect(lines(received).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `committed-${i + 1}`).sort());

    // Nothing else is on the queue: a receiver waiting for one more gets nothing before it is killed.
    const more = await runProtonExample('simple_recv.py', { port, address: 'proton-tx', args: ['-m', '1'], timeoutMs: 3_000 });
    expect({ killed: more.killed, stdout: more.stdout }).toEqual({ killed: true, stdout: '' });
  });
});
