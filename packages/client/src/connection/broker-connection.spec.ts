import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  CompressionCodec,
  decodeBody,
  decompressFrameBody,
  emptyBodyCodec,
  FrameDecoder,
  queueRangeRequestCodec,
  queueRangeResponseCodec,
  RequestCode,
  ResponseCode,
  sendBatchRequestCodec,
  type Frame,
  type SendBatchRequest,
} from '@tessera/wire';
import { BrokerError } from '../errors/broker-error';
import { ConnectionError } from '../errors/connection-error';
import { RequestTimeoutError } from '../errors/request-timeout-error';
import { startTestBroker } from '../testing/start-test-broker';
import { BrokerConnection } from './broker-connection';

/** A TCP server that accepts connections and never answers. */
async function silentServer(): Promise<{ server: Server; sockets: Socket[]; address: string }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, sockets, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('BrokerConnection', () => {
  it('pipelines many requests on one socket and matches each answer to its request', async () => {
    const broker = await startTestBroker();
    await broker.runtime.broker.topics.create({ name: 'orders', writeQueueCount: 4 });
    const connection = new BrokerConnection({ server: broker.server, requestTimeoutMs: 2000 });
    try {
      await connection.open();
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          connection.request(RequestCode.QUEUE_RANGE, queueRangeRequestCodec, { topic: 'orders', queueId: i % 4 }, queueRangeResponseCodec),
        ),
      );
      expect(answers).toHaveLength(200);
      expect(answers.every((a) => a.minOffset === 0 && a.maxOffset === 0)).toBe(true);
    } finally {
      await connection.close();
      await broker.stop();
    }
  });

  it('turns an unknown request code into a BrokerError and keeps the connection', async () => {
    const broker = await startTestBroker();
    const connection = new BrokerConnection({ server: broker.server, requestTimeoutMs: 2000 });
    try {
      await connection.open();
      const error = await connection.request(999 as RequestCode, emptyBodyCodec, undefined, emptyBodyCodec).catch((e) => e);
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({ code: 'REQUEST_CODE_NOT_SUPPORTED', responseCode: ResponseCode.REQUEST_CODE_NOT_SUPPORTED });
      expect(connection.connected).toBe(true);
    } finally {
      await connection.close();
      await broker.stop();
    }
  });

  it('times out a request nobody answers, and fails in-flight ones with ConnectionError when the socket drops', async () => {
    const { server, sockets, address } = await silentServer();
    const connection = new BrokerConnection({ server: address, requestTimeoutMs: 100 });
    try {
      await connection.open();
      await expect(
        connection.request(RequestCode.QUEUE_RANGE, queueRangeRequestCodec, { topic: 't', queueId: 0 }, queueRangeResponseCodec),
      ).rejects.toBeInstanceOf(RequestTimeoutError);
      const inFlight = connection.request(RequestCode.QUEUE_RANGE, queueRangeRequestCodec, { topic: 't', queueId: 0 }, queueRangeResponseCodec, {
        timeoutMs: 5000,
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const socket of sockets) socket.destroy();
      await expect(inFlight).rejects.toBeInstanceOf(ConnectionError);
    } finally {
      await connection.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('times out each request at its own deadline, whatever order they were sent in', async () => {
    const { server, sockets, address } = await silentServer();
    const connection = new BrokerConnection({ server: address, requestTimeoutMs: 2000 });
    try {
      await connection.open();
      const ask = (timeoutMs: number) => {
        const startedAt = Date.now();
        return connection
          .request(RequestCode.QUEUE_RANGE, queueRangeRequestCodec, { topic: 't', queueId: 0 }, queueRangeResponseCodec, { timeoutMs })
          .then(
            () => 'answered',
            (error: unknown) => (error instanceof RequestTimeoutError ? Date.now() - startedAt : error),
          );
      };
      const [slow, fast, middle] = await Promise.all([ask(600), ask(50), ask(300)]);
      expect(fast).toBeGreaterThanOrEqual(45);
      expect(fast).toBeLessThan(300);
      expect(middle).toBeGreaterThanOrEqual(295);
      expect(middle).toBeLessThan(600);
      expect(slow).toBeGreaterThanOrEqual(595);
    } finally {
      for (const socket of sockets) socket.destroy();
      await connection.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([CompressionCodec.ZSTD, CompressionCodec.LZ4])('compresses frames over the threshold (codec %s)', async (codec) => {
    const { server, sockets, address } = await silentServer();
    const connection = new BrokerConnection({ server: address, requestTimeoutMs: 2000 });
    try {
      await connection.open();
      const frames: Frame[] = [];
      await new Promise<void>((resolve) => (sockets.length > 0 ? resolve() : server.once('connection', () => resolve())));
      const decoder = new FrameDecoder();
      sockets[0]!.on('data', (chunk: Buffer) => decoder.push(chunk, (f) => frames.push(f)));
      const batch = (body: string): SendBatchRequest => ({
        topic: 't',
        messages: [{ topic: 't', body: Buffer.from(body), keys: [], properties: {}, bornTimestamp: 1, flag: 0, reconsumeTimes: 0 }],
      });
      const compression = { codec, thresholdBytes: 1024 };
      await connection.sendOneway(RequestCode.SEND_BATCH, sendBatchRequestCodec, batch('a'.repeat(10_000)), { compression });
      await connection.sendOneway(RequestCode.SEND_BATCH, sendBatchRequestCodec, batch('small'), { compression });
      for (let i = 0; i < 100 && frames.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(frames.map((f) => f.header.compression)).toEqual([codec, CompressionCodec.NONE]);
      expect(frames[0]!.body.length).toBeLessThan(1000);
      expect(decodeBody(sendBatchRequestCodec, decompressFrameBody(frames[0]!, 1 << 20)).messages[0]!.body.toString()).toBe('a'.repeat(10_000));
    } finally {
      await connection.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('raises ConnectionError when nothing listens', async () => {
    const { server, address } = await silentServer();
    await new Promise((resolve) => server.close(resolve));
    const connection = new BrokerConnection({ server: address, requestTimeoutMs: 500 });
    await expect(connection.open()).rejects.toBeInstanceOf(ConnectionError);
  });
});
