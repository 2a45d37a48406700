import { join } from 'node:path';
import { MessageTooLargeError, Producer } from '@tessera/client';
import { emptyBodyCodec, encodeFrame, listTopicsRequestCodec, RequestCode, ResponseCode } from '@tessera/wire';
import { BackgroundTraffic } from './support/background-traffic';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { RawConnection } from './support/raw-connection';
import { runTessera } from './support/run-tessera';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';
import { writeDistributionConfig } from './support/write-distribution-config';

const MAX_FRAME_BYTES = 1024 * 1024;
const MAX_MESSAGE_BYTES = 256 * 1024;
const UNKNOWN_REQUEST_CODE = 9_999;

describe('bad input', () => {
  let dir: string;
  let broker: BrokerProcess;
  let traffic: BackgroundTraffic;
  const connections: RawConnection[] = [];

  beforeAll(async () => {
    dir = makeTempDir();
    const configFile = writeDistributionConfig(dir, 'small-limits', {
      broker: { maxMessageBytes: MAX_MESSAGE_BYTES },
      native: { maxFrameBytes: MAX_FRAME_BYTES },
    });
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir, configFile });
    traffic = await BackgroundTraffic.start(broker.address, 'bystander');
  });

  afterAll(async () => {
    connections.forEach((c) => c.destroy());
    await traffic?.stop();
    await killAllBrokers();
    removeTempDir(dir);
  });

  async function open(): Promise<RawConnection> {
    const connection = await RawConnection.open(broker.port);
    connections.push(connection);
    return connection;
  }

  async function expectBystanderStillServed(): Promise<void> {
    const before = traffic.roundTrips;
    await waitUntil(() => traffic.roundTrips >= before + 5, 10_000, () => `bystander stalled at ${traffic.roundTrips}: ${traffic.errors.join('; ')}`);
    expect(traffic.errors).toEqual([]);
  }

  it('answers garbage bytes with an error frame or a closed connection', async () => {
    const connection = await open();
    connection.write(Buffer.from('GET / HTTP/1.1\r\nHost: tessera\r\n\r\n'));
    expect(await errorFrameOrClose(connection)).toBe(true);
    const random = await open();
    random.write(Buffer.from([0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3]));
    expect(await errorFrameOrClose(random)).toBe(true);
    await expectBystanderStillServed();
  });

  it('refuses a frame longer than maxFrameBytes without reading it', async () => {
    const connection = await open();
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32BE(MAX_FRAME_BYTES * 2, 0);
    prefix.writeUInt32BE(12, 4);
    connection.write(prefix);
    expect(await errorFrameOrClose(connection)).toBe(true);
    await expectBystanderStillServed();
  });

  it('answers an unknown request code with REQUEST_CODE_NOT_SUPPORTED and keeps the connection usable', async () => {
    const connection = await open();
    connection.write(encodeFrame({ code: UNKNOWN_REQUEST_CODE, requestId: 41 }, emptyBodyCodec, undefined));
    const reply = await connection.next(5_000);
    expect(reply.kind).toBe('frame');
    if (reply.kind !== 'frame') return;
    expect(reply.frame.header).toMatchObject({ requestId: 41, response: true, status: ResponseCode.REQUEST_CODE_NOT_SUPPORTED });

    connection.write(encodeFrame({ code: RequestCode.LIST_TOPICS, requestId: 42 }, listTopicsRequestCodec, { includeSystem: false }));
    const next = await connection.next(5_000);
    expect(next.kind).toBe('frame');
    if (next.kind !== 'frame') return;
    expect(next.frame.header).toMatchObject({ requestId: 42, response: true, status: ResponseCode.SUCCESS });
    await expectBystanderStillServed();
  });

  it('refuses a message over maxMessageBytes with MessageTooLargeError and serves on', async () => {
    const producer = new Producer({ server: broker.address });
    await producer.start();
    try {
      await expect(producer.send({ topic: 'big', body: Buffer.alloc(MAX_MESSAGE_BYTES * 2) })).rejects.toBeInstanceOf(MessageTooLargeError);
      const fitting = await producer.send({ topic: 'big', body: Buffer.alloc(MAX_MESSAGE_BYTES) });
      expect(fitting.queueOffset).toBeGreaterThanOrEqual(0);
    } finally {
      await producer.shutdown();
    }
    await expectBystanderStillServed();
  });

  it('will not start from a config with a wrong type, exiting 2 and naming the field', async () => {
    const configFile = writeDistributionConfig(dir, 'bad-port', { native: { port: 'ten thousand' } });
    const run = await runTessera(['start', '--config', configFile, '--data-dir', join(dir, 'never')], { cwd: dir, timeoutMs: 30_000 });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('plugins.2.options.port');
    await expectBystanderStillServed();
  });
});

/** True once the broker answered with an error frame or hung up (within 5 s). */
async function errorFrameOrClose(connection: RawConnection): Promise<boolean> {
  const reply = await connection.next(5_000);
  if (reply.kind === 'closed') return true;
  return reply.kind === 'frame' && reply.frame.header.response && reply.frame.header.status !== ResponseCode.SUCCESS;
}
