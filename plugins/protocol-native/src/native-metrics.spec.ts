import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, LATENCY_BUCKETS_SECONDS, type BrokerRuntime } from '@tessera/kernel';
import { memoryStoragePlugin, metricValue, metricValuesByLabel } from '@tessera/testing';
import {
  emptyBodyCodec,
  encodeFrame,
  FrameDecoder,
  pullRequestCodec,
  queueRangeRequestCodec,
  RequestCode,
  ResponseCode,
  sendBatchRequestCodec,
  type Frame,
  type WireMessage,
} from '@tessera/wire';
import { protocolNativePlugin } from './protocol-native-plugin';

const WAIT_MS = 3000;

/** A bare connection that counts the bytes it writes and reads and collects response frames. */
class CountingClient {
  bytesWritten = 0;
  bytesRead = 0;
  closed = false;
  readonly frames: Frame[] = [];
  private readonly decoder = new FrameDecoder();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytesRead += chunk.length;
      this.decoder.push(chunk, (frame) => this.frames.push(frame));
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<CountingClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new CountingClient(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.bytesWritten += bytes.length;
    this.socket.write(bytes);
  }

  /** Sends a request and waits (bounded) for its response's status. */
  async request(code: number, requestId: number, frameBody: Buffer): Promise<number> {
    this.write(frameBody);
    await until(() => this.frames.some((frame) => frame.header.requestId === requestId), `the response to request ${requestId} (code ${code})`);
    return this.frames.find((frame) => frame.header.requestId === requestId)!.header.status ?? 0;
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function message(body: string, queueId: number): WireMessage {
  return { topic: 'orders', queueId, body: Buffer.from(body), keys: [], properties: {}, bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

describe('native protocol metrics (in-process broker, raw connections, scraped from the registry)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let port: number;
  const clients: CountingClient[] = [];

  async function client(): Promise<CountingClient> {
    const opened = await CountingClient.open(port);
    clients.push(opened);
    return opened;
  }

  const byLabel = (name: string, label: string) => metricValuesByLabel(runtime.metrics, name, label);
  const value = (name: string) => metricValue(runtime.metrics, name);

  /** The series of the duration histogram for one request code, keyed `le=<bound>`, `sum` and `count`. */
  async function durations(code: string): Promise<Record<string, number>> {
    const { values } = await runtime.metrics.getSingleMetric('tessera_native_request_duration_seconds')!.get();
    const series: Record<string, number> = {};
    for (const { labels, value: observed, metricName } of values as Array<(typeof values)[number] & { metricName: string }>) {
      if (labels.code !== code) continue;
      series[metricName.endsWith('_bucket') ? `le=${labels.le}` : metricName.slice(metricName.lastIndexOf('_') + 1)] = observed;
    }
    return series;
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-native-metrics-'));
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', maxMessageBytes: 1024 },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolNativePlugin, options: { port: 0, maxFrameBytes: 64 * 1024 } }],
    });
    await runtime.start();
    port = runtime.endpoint('native').port;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts connections, requests by code, error responses by status, bad input closes by reason and bytes both ways', async () => {
    const healthy = await client();
    const sendBatch = (requestId: number, messages: WireMessage[]) =>
      encodeFrame({ code: RequestCode.SEND_BATCH, requestId }, sendBatchRequestCodec, { topic: 'orders', messages });
    expect(await healthy.request(RequestCode.SEND_BATCH, 1, sendBatch(1, [message('a', 0), message('b', 0)]))).toBe(ResponseCode.SUCCESS);
    expect(await healthy.request(RequestCode.SEND_BATCH, 2, sendBatch(2, [message('x'.repeat(2000), 0)]))).toBe(ResponseCode.MESSAGE_TOO_LARGE);
    const pull = (requestId: number, queueId: number, maxWaitMs: number) =>
      encodeFrame({ code: RequestCode.PULL, requestId }, pullRequestCodec, { topic: 'orders', queueId, offset: 0, maxCount: 10, maxBytes: 1 << 20, maxWaitMs });
    expect(await healthy.request(RequestCode.PULL, 3, pull(3, 0, 0))).toBe(ResponseCode.SUCCESS);
    expect(await healthy.request(RequestCode.PULL, 4, pull(4, 1, 300))).toBe(ResponseCode.SUCCESS);
    const missingTopic = encodeFrame({ code: RequestCode.QUEUE_RANGE, requestId: 5 }, queueRangeRequestCodec, { topic: 'nope', queueId: 0 });
    expect(await healthy.request(RequestCode.QUEUE_RANGE, 5, missingTopic)).toBe(ResponseCode.TOPIC_NOT_FOUND);
    expect(await healthy.request(999, 6, encodeFrame({ code: 999, requestId: 6 }, emptyBodyCodec, undefined))).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);

    const garbage = await client();
    // A total length of 1, below any frame's header: malformed (text like "GET /" would read as a length over maxFrameBytes).
    garbage.write(Buffer.from([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]));
    const oversize = await client();
    const announcesTenMiB = Buffer.alloc(8);
    announcesTenMiB.writeUInt32BE(10 * 1024 * 1024, 0);
    oversize.write(announcesTenMiB);
    await until(() => garbage.closed && oversize.closed, 'both bad connections to be closed');

    expect(await value('tessera_native_connections_total')).toBe(3);
    expect(await value('tessera_native_open_connections')).toBe(1);
    expect(await byLabel('tessera_native_bad_input_closes_total', 'reason')).toEqual({ frame_too_large: 1, malformed_frame: 1 });
    const requests = await byLabel('tessera_native_requests_total', 'code');
    expect(Object.keys(requests)).toHaveLength(29);
    expect(Object.entries(requests).filter(([, count]) => count > 0)).toEqual([
      ['SEND_BATCH', 2],
      ['PULL', 2],
      ['QUEUE_RANGE', 1],
      ['unsupported', 1],
    ]);
    const errors = await byLabel('tessera_native_error_responses_total', 'status');
    expect(Object.keys(errors)).toHaveLength(20);
    expect(Object.entries(errors).filter(([, count]) => count > 0)).toEqual([
      ['REQUEST_CODE_NOT_SUPPORTED', 1],
      ['BAD_REQUEST', 2],
      ['MESSAGE_TOO_LARGE', 1],
      ['TOPIC_NOT_FOUND', 1],
    ]);
    const written = clients.reduce((sum, c) => sum + c.bytesWritten, 0);
    const read = clients.reduce((sum, c) => sum + c.bytesRead, 0);
    expect(await value('tessera_native_received_bytes_total')).toBe(written);
    expect(await value('tessera_native_sent_bytes_total')).toBe(read);

    healthy.socket.end();
    await until(async () => (await value('tessera_native_open_connections')) === 0, 'no connection open');
    // Counters keep what they counted across scrapes.
    expect(await value('tessera_native_received_bytes_total')).toBe(written);
  });

  it('times served requests by code into LATENCY_BUCKETS_SECONDS: a held pull lands past its wait', async () => {
    const c = await client();
    await c.request(RequestCode.SEND_BATCH, 1, encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 1 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('a', 0)] }));
    const pull = (requestId: number, queueId: number, maxWaitMs: number) =>
      encodeFrame({ code: RequestCode.PULL, requestId }, pullRequestCodec, { topic: 'orders', queueId, offset: 0, maxCount: 10, maxBytes: 1 << 20, maxWaitMs });
    await c.request(RequestCode.PULL, 2, pull(2, 0, 0));
    await c.request(RequestCode.PULL, 3, pull(3, 1, 300));
    await c.request(999, 4, encodeFrame({ code: 999, requestId: 4 }, emptyBodyCodec, undefined));

    const pulls = await durations('PULL');
    expect(Object.keys(pulls)).toEqual([...LATENCY_BUCKETS_SECONDS.map((bound) => `le=${bound}`), 'le=+Inf', 'sum', 'count']);
    expect(pulls['count']).toBe(2);
    expect(pulls['le=+Inf']).toBe(2);
    expect(pulls['le=0.25']).toBe(1);
    expect(pulls['sum']).toBeGreaterThanOrEqual(0.29);
    expect((await durations('SEND_BATCH'))['count']).toBe(1);
    // Only codes that were served have a series; an unsupported code is answered, not timed.
    expect(await durations('unsupported')).toEqual({});
    expect(await durations('ACK')).toEqual({});

    const text = await runtime.metrics.metrics();
    expect(text).toContain('# TYPE tessera_native_request_duration_seconds histogram');
    expect(text).toContain('tessera_native_request_duration_seconds_bucket{le="+Inf",code="PULL"} 2');
    expect(text).toContain('tessera_native_request_duration_seconds_count{code="SEND_BATCH"} 1');
  });
});
