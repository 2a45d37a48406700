import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime } from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import {
  ackRequestCodec,
  changeInvisibleTimeRequestCodec,
  changeInvisibleTimeResponseCodec,
  commitOffsetRequestCodec,
  compressFrame,
  CompressionCodec,
  createTopicRequestCodec,
  decodeBody,
  describeGroupRequestCodec,
  describeGroupResponseCodec,
  emptyBodyCodec,
  encodeFrame,
  FrameDecoder,
  heartbeatRequestCodec,
  heartbeatResponseCodec,
  nackRequestCodec,
  pullRequestCodec,
  pullResponseCodec,
  queryOffsetRequestCodec,
  queryOffsetResponseCodec,
  queueRangeRequestCodec,
  receiveRequestCodec,
  receiveResponseCodec,
  RequestCode,
  resetOffsetRequestCodec,
  resetOffsetResponseCodec,
  ResponseCode,
  sendBatchRequestCodec,
  sendBatchResponseCodec,
  settleResponseCodec,
  syncAssignmentRequestCodec,
  syncAssignmentResponseCodec,
  topicInfoCodec,
  type BodyCodec,
  type Frame,
  type FrameHeader,
  type ReceiveRequest,
  type WireMessage,
} from '@tessera/wire';
import { protocolNativePlugin } from './protocol-native-plugin';

/** A bare client: writes frames, collects response frames, notices the close. */
class RawClient {
  readonly frames: Frame[] = [];
  closed = false;
  private readonly decoder = new FrameDecoder();
  private waiters: Array<() => void> = [];
  /** Ids for `send`, clear of the hand-picked ids the tests write frames under. */
  private nextRequestId = 1000;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.decoder.push(chunk, (f) => this.record(f)));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  async until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting on the raw client');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async call<Res>(frame: Buffer, requestId: number, codec: BodyCodec<Res>): Promise<Res> {
    this.socket.write(frame);
    return this.decoded(requestId, codec);
  }

  /** Writes a request under a fresh id and returns the id. */
  send<Req>(code: RequestCode, codec: BodyCodec<Req>, body: Req): number {
    const requestId = this.nextRequestId++;
    this.socket.write(encodeFrame({ code, requestId }, codec, body));
    return requestId;
  }

  request<Req, Res>(code: RequestCode, codec: BodyCodec<Req>, body: Req, responseCodec: BodyCodec<Res>): Promise<Res> {
    return this.decoded(this.send(code, codec, body), responseCodec);
  }

  /** The header of the answer to a request expected to fail. */
  async refusal<Req>(code: RequestCode, codec: BodyCodec<Req>, body: Req): Promise<FrameHeader> {
    return (await this.response(this.send(code, codec, body))).header;
  }

  async decoded<Res>(requestId: number, codec: BodyCodec<Res>): Promise<Res> {
    const response = await this.response(requestId);
    if (response.header.status !== 0) throw new Error(`status ${response.header.status}: ${response.header.message}`);
    return decodeBody(codec, response.body);
  }

  answered(requestId: number): boolean {
    return this.frames.some((f) => f.header.requestId === requestId);
  }

  async response(requestId: number): Promise<Frame> {
    await this.until(() => this.frames.some((f) => f.header.requestId === requestId));
    return this.frames.find((f) => f.header.requestId === requestId)!;
  }

  private record(frame: Frame): void {
    this.frames.push(frame);
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

function message(body: string, queueId?: number): WireMessage {
  return { topic: 'orders', queueId, body: Buffer.from(body), keys: [], properties: {}, bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

describe('native protocol adapter', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let port: number;
  const clients: RawClient[] = [];

  async function client(): Promise<RawClient> {
    const c = await RawClient.open(port);
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-native-'));
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', maxMessageBytes: 1024 },
      plugins: [
        memoryStoragePlugin,
        coordinationLocalPlugin,
        { plugin: protocolNativePlugin, options: { port: 0, maxFrameBytes: 64 * 1024, maxHeldPullsPerConnection: 1, drainTimeoutMs: 2000 } },
      ],
    });
    await runtime.start();
    port = runtime.endpoint('native').port;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the real port it listens on', () => {
    expect(port).toBeGreaterThan(0);
    expect(runtime.endpoint('native')).toEqual({ protocol: 'native', host: '127.0.0.1', port });
  });

  it('stores a batch and answers with positions, then serves it to a pull', async () => {
    const c = await client();
    const sent = await c.call(
      encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 1 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('a', 2), message('b', 2)] }),
      1,
      sendBatchResponseCodec,
    );
    expect(sent.results.map((r) => [r.queueId, r.queueOffset])).toEqual([
      [2, 0],
      [2, 1],
    ]);
    const pulled = await c.call(
      encodeFrame({ code: RequestCode.PULL, requestId: 2 }, pullRequestCodec, {
        topic: 'orders',
        queueId: 2,
        offset: 0,
        maxCount: 10,
        maxBytes: 1 << 20,
        maxWaitMs: 0,
      }),
      2,
      pullResponseCodec,
    );
    expect(pulled.status).toBe('FOUND');
    expect(pulled.messages.map((m) => m.body.toString())).toEqual(['a', 'b']);
    expect(pulled.messages[0]!.msgId).toBe(sent.results[0]!.msgId);
  });

  it('decompresses zstd and lz4 batches before producing', async () => {
    const c = await client();
    const body = 'x'.repeat(500);
    for (const [requestId, codec] of [
      [1, CompressionCodec.ZSTD],
      [2, CompressionCodec.LZ4],
    ] as const) {
      const frame = compressFrame(
        encodeFrame({ code: RequestCode.SEND_BATCH, requestId }, sendBatchRequestCodec, { topic: 'orders', messages: [message(body, 0)] }),
        codec,
      );
      await c.call(frame, requestId, sendBatchResponseCodec);
    }
    const pulled = await c.call(
      encodeFrame({ code: RequestCode.PULL, requestId: 3 }, pullRequestCodec, { topic: 'orders', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20, maxWaitMs: 0 }),
      3,
      pullResponseCodec,
    );
    expect(pulled.messages.map((m) => m.body.toString())).toEqual([body, body]);
  });

  it('maps kernel errors to error responses and keeps the connection', async () => {
    const c = await client();
    const tooLarge = await (c.socket.write(
      encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 1 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('y'.repeat(2000))] }),
    ),
    c.response(1));
    expect(tooLarge.header.status).toBe(ResponseCode.MESSAGE_TOO_LARGE);
    expect(tooLarge.header.message).toMatch(/exceeds maxMessageBytes 1024/);
    c.socket.write(encodeFrame({ code: RequestCode.QUEUE_RANGE, requestId: 2 }, queueRangeRequestCodec, { topic: 'nope', queueId: 0 }));
    expect((await c.response(2)).header.status).toBe(ResponseCode.TOPIC_NOT_FOUND);
    expect(c.closed).toBe(false);
  });

  it('answers an unknown request code with REQUEST_CODE_NOT_SUPPORTED and keeps serving', async () => {
    const c = await client();
    c.socket.write(encodeFrame({ code: 999, requestId: 7 }, emptyBodyCodec, undefined));
    const answer = await c.response(7);
    expect(answer.header.status).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    await c.call(encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 8 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('ok')] }), 8, sendBatchResponseCodec);
    expect(c.closed).toBe(false);
  });

  it('answers a malformed body with BAD_REQUEST', async () => {
    const c = await client();
    const frame = encodeFrame({ code: RequestCode.QUEUE_RANGE, requestId: 3 }, queueRangeRequestCodec, { topic: 'orders', queueId: 0 });
    const truncatedBody = Buffer.from(frame.subarray(0, frame.length - 2));
    truncatedBody.writeUInt32BE(truncatedBody.length - 4, 0);
    c.socket.write(truncatedBody);
    const answer = await c.response(3);
    expect(answer.header.status).toBe(ResponseCode.BAD_REQUEST);
    expect(answer.header.message).toMatch(/malformed request body: truncated/);
    expect(c.closed).toBe(false);
  });

  it('closes a connection that sends garbage, after saying why, and keeps serving others', async () => {
    const healthy = await client();
    const bad = await client();
    bad.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await bad.until(() => bad.closed);
    expect(bad.frames[0]?.header.status).toBe(ResponseCode.BAD_REQUEST);
    expect(bad.frames[0]?.header.message).toMatch(/protocol error/);
    await healthy.call(
      encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 1 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('still here')] }),
      1,
      sendBatchResponseCodec,
    );
  });

  it('closes a connection whose frame exceeds maxFrameBytes', async () => {
    const c = await client();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(10 * 1024 * 1024, 0);
    c.socket.write(header);
    await c.until(() => c.closed);
    expect(c.frames[0]?.header.message).toMatch(/exceeds maxFrameBytes 65536/);
  });

  it('holds a pull until a message arrives, within milliseconds', async () => {
    const consumer = await client();
    const producer = await client();
    consumer.socket.write(
      encodeFrame({ code: RequestCode.PULL, requestId: 1 }, pullRequestCodec, { topic: 'orders', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20, maxWaitMs: 5000 }),
    );
    await producer.call(encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 1 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('first', 0)] }), 1, sendBatchResponseCodec);
    // The topic exists now; a second held pull on an empty queue waits for the next send.
    const pullAgain = encodeFrame({ code: RequestCode.PULL, requestId: 2 }, pullRequestCodec, {
      topic: 'orders',
      queueId: 1,
      offset: 0,
      maxCount: 10,
      maxBytes: 1 << 20,
      maxWaitMs: 5000,
    });
    consumer.socket.write(pullAgain);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(consumer.frames.some((f) => f.header.requestId === 2)).toBe(false);
    const sentAt = Date.now();
    await producer.call(encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 2 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('wake', 1)] }), 2, sendBatchResponseCodec);
    const answer = decodeBody(pullResponseCodec, (await consumer.response(2)).body);
    expect(Date.now() - sentAt).toBeLessThan(200);
    expect(answer.messages.map((m) => m.body.toString())).toEqual(['wake']);
  });

  it('answers pulls beyond maxHeldPullsPerConnection at once', async () => {
    const c = await client();
    await c.call(encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 1 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('m', 0)] }), 1, sendBatchResponseCodec);
    const pull = (requestId: number) =>
      encodeFrame({ code: RequestCode.PULL, requestId }, pullRequestCodec, { topic: 'orders', queueId: 1, offset: 0, maxCount: 1, maxBytes: 1024, maxWaitMs: 3000 });
    const startedAt = Date.now();
    c.socket.write(Buffer.concat([pull(2), pull(3)]));
    const second = await c.response(3);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(decodeBody(pullResponseCodec, second.body).status).toBe('NO_QUEUE');
    expect(c.frames.some((f) => f.header.requestId === 2)).toBe(false);
  });

  it('answers held pulls and closes connections on stop', async () => {
    const c = await client();
    await c.call(encodeFrame({ code: RequestCode.SEND_BATCH, requestId: 1 }, sendBatchRequestCodec, { topic: 'orders', messages: [message('m', 0)] }), 1, sendBatchResponseCodec);
    c.socket.write(
      encodeFrame({ code: RequestCode.PULL, requestId: 2 }, pullRequestCodec, { topic: 'orders', queueId: 1, offset: 0, maxCount: 1, maxBytes: 1024, maxWaitMs: 30_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stoppedAt = Date.now();
    await runtime.stop();
    expect(Date.now() - stoppedAt).toBeLessThan(1500);
    expect(c.frames.some((f) => f.header.requestId === 2)).toBe(true);
    await c.until(() => c.closed);
  });

  describe('consumption', () => {
    const group = 'workers';
    const topic = 'jobs';

    async function createJobsTopic(c: RawClient): Promise<void> {
      await c.request(RequestCode.CREATE_TOPIC, createTopicRequestCodec, { name: topic, writeQueueCount: 2, readQueueCount: 2 }, topicInfoCodec);
    }

    async function produceJobs(c: RawClient, bodies: string[]): Promise<void> {
      const messages = bodies.map((body) => ({ ...message(body, 0), topic }));
      await c.request(RequestCode.SEND_BATCH, sendBatchRequestCodec, { topic, messages }, sendBatchResponseCodec);
    }

    function joinGroup(c: RawClient, clientId: string) {
      return c.request(
        RequestCode.HEARTBEAT,
        heartbeatRequestCodec,
        { group, clientId, topics: [topic], messageModel: 'CLUSTERING', allocationStrategy: 'average' },
        heartbeatResponseCodec,
      );
    }

    function syncAssignment(c: RawClient, clientId: string, held: number[], knownGeneration?: number) {
      return c.request(RequestCode.SYNC_ASSIGNMENT, syncAssignmentRequestCodec, { group, topic, clientId, held, knownGeneration, maxWaitMs: 0 }, syncAssignmentResponseCodec);
    }

    function commit(c: RawClient, queueId: number, offset: number, clientId?: string) {
      return c.request(RequestCode.COMMIT_OFFSET, commitOffsetRequestCodec, { group, topic, queueId, offset, clientId }, emptyBodyCodec);
    }

    async function committedOffset(c: RawClient, queueId: number): Promise<number | undefined> {
      return (await c.request(RequestCode.QUERY_OFFSET, queryOffsetRequestCodec, { group, topic, queueId }, queryOffsetResponseCodec)).offset;
    }

    function receiveRequest(overrides: Partial<ReceiveRequest> = {}): ReceiveRequest {
      return { group, topic, clientId: 'popper', maxCount: 10, maxBytes: 1 << 20, invisibleMs: 30_000, maxWaitMs: 0, ...overrides };
    }

    async function receive(c: RawClient, overrides: Partial<ReceiveRequest> = {}) {
      return (await c.request(RequestCode.RECEIVE, receiveRequestCodec, receiveRequest(overrides), receiveResponseCodec)).messages;
    }

    it('hands a queue over: the new member is fenced until the old owner releases it, then its held sync wakes', async () => {
      const a = await client();
      const b = await client();
      await createJobsTopic(a);
      expect(await joinGroup(a, 'member-a')).toEqual({ sessionTimeoutMs: 10_000 });
      const alone = await syncAssignment(a, 'member-a', []);
      expect(alone).toMatchObject({ owned: [0, 1], revoked: [], sessionTimeoutMs: 10_000 });

      await joinGroup(b, 'member-b');
      const joined = await syncAssignment(b, 'member-b', []);
      expect(joined.owned).toEqual([]);
      const told = await syncAssignment(a, 'member-a', [0, 1], alone.generation);
      expect(told.revoked).toHaveLength(1);
      const handedOver = told.revoked[0]!;
      expect(told.owned).toEqual([0, 1].filter((q) => q !== handedOver));

      const fenced = await b.refusal(RequestCode.COMMIT_OFFSET, commitOffsetRequestCodec, { group, topic, queueId: handedOver, offset: 0, clientId: 'member-b' });
      expect(fenced.status).toBe(ResponseCode.QUEUE_NOT_OWNED);

      const waiting = b.send(RequestCode.SYNC_ASSIGNMENT, syncAssignmentRequestCodec, {
        group,
        topic,
        clientId: 'member-b',
        held: [],
        knownGeneration: joined.generation,
        maxWaitMs: 5000,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(b.answered(waiting)).toBe(false);

      await commit(a, handedOver, 0, 'member-a');
      const releasedAt = Date.now();
      const released = await syncAssignment(a, 'member-a', told.owned, told.generation);
      expect(released).toMatchObject({ owned: told.owned, revoked: [] });
      const woken = await b.decoded(waiting, syncAssignmentResponseCodec);
      expect(Date.now() - releasedAt).toBeLessThan(1000);
      expect(woken.owned).toEqual([handedOver]);
      expect(woken.generation).not.toBe(joined.generation);
      await commit(b, handedOver, 0, 'member-b');
    });

    it('describes a group with its members and per-queue progress, and resets its offsets to an offset or a time', async () => {
      const c = await client();
      await createJobsTopic(c);
      await produceJobs(c, ['a', 'b', 'c']);
      await joinGroup(c, 'member-a');
      await syncAssignment(c, 'member-a', []);
      await commit(c, 0, 3, 'member-a');

      const described = await c.request(RequestCode.DESCRIBE_GROUP, describeGroupRequestCodec, { group, topic }, describeGroupResponseCodec);
      expect(described.members).toEqual([
        { clientId: 'member-a', messageModel: 'CLUSTERING', topics: [topic], lastHeartbeatAt: expect.any(Number), allocationStrategy: 'average' },
      ]);
      expect(described.queues).toEqual([
        { topic, queueId: 0, committedOffset: 3, minOffset: 0, maxOffset: 3, lag: 0, owner: 'member-a' },
        { topic, queueId: 1, minOffset: 0, maxOffset: 0, lag: 0, owner: 'member-a' },
      ]);

      const toOffset = await c.request(RequestCode.RESET_OFFSET, resetOffsetRequestCodec, { group, topic, toOffset: 1 }, resetOffsetResponseCodec);
      expect(toOffset.queues).toContainEqual({ queueId: 0, offset: 1 });
      expect(await committedOffset(c, 0)).toBe(1);
      const everyTopic = await c.request(RequestCode.DESCRIBE_GROUP, describeGroupRequestCodec, { group }, describeGroupResponseCodec);
      expect(everyTopic.queues.find((q) => q.topic === topic && q.queueId === 0)).toMatchObject({ committedOffset: 1, lag: 2 });

      const toTime = await c.request(RequestCode.RESET_OFFSET, resetOffsetRequestCodec, { group, topic, toTimestamp: 0 }, resetOffsetResponseCodec);
      expect(toTime.queues).toContainEqual({ queueId: 0, offset: 0 });
      expect(await committedOffset(c, 0)).toBe(0);

      const unknown = await c.refusal(RequestCode.DESCRIBE_GROUP, describeGroupRequestCodec, { group: 'nobody' });
      expect(unknown.status).toBe(ResponseCode.GROUP_NOT_FOUND);
    });

    it('leases messages to a receive and settles them by receipt; a stale receipt is refused', async () => {
      const c = await client();
      await createJobsTopic(c);
      await produceJobs(c, ['first', 'second']);
      const receivedAt = Date.now();
      const leased = await receive(c);
      expect(leased.map((m) => [m.message.body.toString(), m.deliveryCount])).toEqual([
        ['first', 1],
        ['second', 1],
      ]);
      expect(leased[0]!.leaseExpiresAt).toBeGreaterThanOrEqual(receivedAt + 30_000);
      expect(await receive(c)).toEqual([]);
      const first = leased[0]!;
      const second = leased[1]!;

      const ack = (receipts: string[]) => c.request(RequestCode.ACK, ackRequestCodec, { group, receipts }, settleResponseCodec);
      expect(await ack([first.receipt])).toEqual({ results: ['OK'] });
      expect(await ack([first.receipt])).toEqual({ results: ['STALE'] });

      const extended = await c.request(
        RequestCode.CHANGE_INVISIBLE_TIME,
        changeInvisibleTimeRequestCodec,
        { group, receipt: second.receipt, invisibleMs: 60_000 },
        changeInvisibleTimeResponseCodec,
      );
      expect(extended.receipt).not.toBe(second.receipt);
      expect(extended.leaseExpiresAt).toBeGreaterThan(second.leaseExpiresAt);

      const nacked = await c.request(RequestCode.NACK, nackRequestCodec, { group, receipts: [second.receipt, extended.receipt], redeliverAfterMs: 0 }, settleResponseCodec);
      expect(nacked).toEqual({ results: ['STALE', 'OK'] });
      const redelivered = await receive(c);
      expect(redelivered.map((m) => [m.message.body.toString(), m.deliveryCount])).toEqual([['second', 2]]);

      const stale = await c.refusal(RequestCode.CHANGE_INVISIBLE_TIME, changeInvisibleTimeRequestCodec, { group, receipt: extended.receipt, invisibleMs: 1000 });
      expect(stale.status).toBe(ResponseCode.RECEIPT_STALE);
    });

    it('counts held syncs and receives against the connection held-request limit', async () => {
      const syncing = await client();
      await createJobsTopic(syncing);
      await joinGroup(syncing, 'member-a');
      const synced = await syncAssignment(syncing, 'member-a', []);
      const heldSyncRequest = { group, topic, clientId: 'member-a', held: synced.owned, knownGeneration: synced.generation, maxWaitMs: 5000 };

      const heldSync = syncing.send(RequestCode.SYNC_ASSIGNMENT, syncAssignmentRequestCodec, heldSyncRequest);
      let startedAt = Date.now();
      expect(await receive(syncing, { maxWaitMs: 5000 })).toEqual([]);
      expect(Date.now() - startedAt).toBeLessThan(1000);
      expect(syncing.answered(heldSync)).toBe(false);

      const receiving = await client();
      const heldReceive = receiving.send(RequestCode.RECEIVE, receiveRequestCodec, receiveRequest({ maxWaitMs: 5000 }));
      startedAt = Date.now();
      const atOnce = await receiving.request(RequestCode.SYNC_ASSIGNMENT, syncAssignmentRequestCodec, heldSyncRequest, syncAssignmentResponseCodec);
      expect(Date.now() - startedAt).toBeLessThan(1000);
      expect(atOnce).toMatchObject({ generation: synced.generation, owned: synced.owned });
      expect(receiving.answered(heldReceive)).toBe(false);
    });
  });
});
