import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, createLogger, type BrokerRuntime } from '@tessera/kernel';
import { storeCommitlogPlugin } from '@tessera/store-commitlog';
import { metricsPrometheusPlugin } from './metrics-prometheus-plugin';
import { PrometheusExporter } from './prometheus-exporter';

describe('PrometheusExporter', () => {
  let dataDir: string;
  let runtime: BrokerRuntime | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-metrics-'));
  });

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startBroker(options: Record<string, unknown> = {}): Promise<string> {
    runtime = createBroker({
      broker: { dataDir, defaultQueueCount: 1 },
      plugins: [
        { plugin: storeCommitlogPlugin, options: { flushMode: 'SYNC' } },
        coordinationLocalPlugin,
        { plugin: metricsPrometheusPlugin, options: { port: 0, ...options } },
      ],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    return `http://127.0.0.1:${runtime.container.get(PrometheusExporter).port}`;
  }

  it("serves the kernel's, the store's and the process' metrics at /metrics", async () => {
    const url = await startBroker();
    await runtime!.broker.produce(
      [1, 2, 3].map((n) => ({ topic: 'orders', body: Buffer.from(`order ${n}`) })),
      { protocol: 'internal' },
    );
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^tessera_messages_produced_total 3$/m);
    expect(text).toMatch(/^tessera_produce_duration_seconds_count 1$/m);
    expect(text).toMatch(/^tessera_log_fdatasync_duration_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^tessera_log_records_per_write_sum 3$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  it('leaves the process metrics out when asked to', async () => {
    const url = await startBroker({ processMetrics: false });
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('tessera_produce_duration_seconds');
    expect(text).not.toContain('process_cpu_user_seconds_total');
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    const url = await startBroker();
    expect((await fetch(`${url}/`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('stops listening when the broker stops', async () => {
    const url = await startBroker();
    await runtime!.stop();
    runtime = undefined;
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  });

  it('fails the start, naming the address, when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startBroker({ port })).rejects.toThrow(/EADDRINUSE.*127\.0\.0\.1:\d+|127\.0\.0\.1.*EADDRINUSE/);
    } finally {
      taken.close();
    }
  });
});
