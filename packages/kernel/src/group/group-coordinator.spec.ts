import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { memoryStoragePlugin } from '@tessera/testing';
import type { Broker } from '../broker/broker';
import type { BrokerRuntime } from '../broker/broker-runtime';
import { createBroker } from '../broker/create-broker';
import type { BrokerSettings } from '../config/broker-settings';
import type { GroupMemberHeartbeat } from '../coordination/coordination-service';
import { ErrorCode } from '../errors/error-code';
import { createLogger, type Logger } from '../logging/logger';
import type { AssignmentSyncRequest } from './assignment-sync';
import { GroupCoordinator } from './group-coordinator';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets the coordinator react to a membership change: the local service answers within microtasks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCoordinator', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let broker: Broker;
  let logger: Logger;

  const start = async (settings: Partial<BrokerSettings> = {}) => {
    logger = createLogger({ level: 'silent' });
    runtime = createBroker({ broker: { dataDir, ...settings }, plugins: [memoryStoragePlugin, coordinationLocalPlugin], logger });
    await runtime.start();
    broker = runtime.broker;
  };
  const joinGroup = (clientId: string, member: Partial<GroupMemberHeartbeat> = {}) =>
    broker.heartbeat({ group: 'g', clientId, topics: ['t'], messageModel: 'CLUSTERING', ...member });
  const sync = (clientId: string, held: number[] = [], request: Partial<AssignmentSyncRequest> = {}) =>
    broker.syncAssignment({ group: 'g', topic: 't', clientId, held, ...request });

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'tessera-group-'))));
  afterEach(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('allocates with the strategy the longest-standing member names, and falls back to average for an unknown one', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 6 });
    const warn = jest.spyOn(logger, 'warn');
    await joinGroup('z', { allocationStrategy: 'round-robin' });
    await sleep(5);
    await joinGroup('a', { allocationStrategy: 'average' });
    await joinGroup('b');
    expect((await sync('a')).owned).toEqual([0, 3]);
    expect((await sync('b')).owned).toEqual([1, 4]);
    expect((await sync('z')).owned).toEqual([2, 5]);

    for (const group of ['u1', 'u2']) {
      for (const clientId of ['x', 'y']) {
        await broker.heartbeat({ group, clientId, topics: ['t'], messageModel: 'CLUSTERING', allocationStrategy: 'no-such-strategy' });
      }
      expect((await broker.syncAssignment({ group, topic: 't', clientId: 'x', held: [] })).owned).toEqual([0, 1, 2]);
      expect((await broker.syncAssignment({ group, topic: 't', clientId: 'y', held: [] })).owned).toEqual([3, 4, 5]);
    }
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('gives broadcasting members every queue, and non-members none', async () => {
    await start({ groupSessionTimeoutMs: 4000 });
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    await joinGroup('everywhere', { messageModel: 'BROADCASTING' });
    await joinGroup('elsewhere', { topics: ['other'] });
    expect(await sync('everywhere', [0, 9])).toMatchObject({ owned: [0, 1, 2, 3], revoked: [9], sessionTimeoutMs: 4000 });
    expect(await sync('elsewhere', [2, 1])).toMatchObject({ owned: [], revoked: [1, 2] });
    expect(await sync('ghost', [3])).toMatchObject({ owned: [], revoked: [3] });
    await expect(sync('everywhere', [], { topic: 'missing' })).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
  });

  it('hands queues to a joining member only after their owner released them, waking held syncs at once', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    await joinGroup('a');
    const first = await sync('a');
    expect(first.owned).toEqual([0, 1, 2, 3]);

    const heldByA = sync('a', [0, 1, 2, 3], { knownGeneration: first.generation, maxWaitMs: 2000 });
    await sleep(20);
    const joinedAt = Date.now();
    await joinGroup('b');
    const revokeForA = await heldByA;
    expect(Date.now() - joinedAt).toBeLessThan(50);
    expect(revokeForA).toMatchObject({ owned: [0, 1], revoked: [2, 3] });

    const waitingB = await sync('b');
    expect(waitingB.owned).toEqual([]);
    expect(() => broker.commitOffset('g', 't', 2, 1, 'b')).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_NOT_OWNED }));
    const heldByB = sync('b', [], { knownGeneration: waitingB.generation, maxWaitMs: 2000 });
    await sleep(20);
    broker.commitOffset('g', 't', 2, 7, 'a');
    broker.commitOffset('g', 't', 3, 8, 'a');
    expect(await sync('a', [0, 1])).toMatchObject({ owned: [0, 1], revoked: [] });
    const releasedAt = Date.now();
    const grantForB = await heldByB;
    expect(Date.now() - releasedAt).toBeLessThan(50);
    expect(grantForB).toMatchObject({ owned: [2, 3], revoked: [] });
    expect(broker.committedOffset('g', 't', 2)).toBe(7);
    broker.commitOffset('g', 't', 2, 9, 'b');
  });

  it('gives a leaving member’s queues to the others at once', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    await joinGroup('a');
    await joinGroup('b');
    await sync('a');
    const b = await sync('b');
    expect(b.owned).toEqual([2, 3]);
    const heldByB = sync('b', [2, 3], { knownGeneration: b.generation, maxWaitMs: 2000 });
    await sleep(20);
    const leftAt = Date.now();
    await broker.leaveGroup('g', 'a');
    expect(await heldByB).toMatchObject({ owned: [0, 1, 2, 3], revoked: [] });
    expect(Date.now() - leftAt).toBeLessThan(50);
  });

  it('takes the queues of a member that stops heartbeating away after the session timeout', async () => {
    await start({ groupSessionTimeoutMs: 300 });
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    await joinGroup('a');
    await joinGroup('b');
    await sync('a');
    const b = await sync('b');
    const keepAlive = setInterval(() => void joinGroup('b'), 100);
    try {
      const started = Date.now();
      const result = await sync('b', b.owned, { knownGeneration: b.generation, maxWaitMs: 3000 });
      const elapsed = Date.now() - started;
      expect(result.owned).toEqual([0, 1, 2, 3]);
      expect(elapsed).toBeGreaterThanOrEqual(200);
      expect(elapsed).toBeLessThan(300 + 1000);
    } finally {
      clearInterval(keepAlive);
    }
  });

  it('refuses commits from members that do not own the queue, and accepts them on unowned queues', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    await joinGroup('a');
    await joinGroup('b');
    expect((await sync('a')).owned).toEqual([0, 1]);
    broker.commitOffset('g', 't', 0, 5, 'a');
    expect(() => broker.commitOffset('g', 't', 0, 6, 'b')).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_NOT_OWNED }));
    expect(() => broker.commitOffset('g', 't', 0, 6, 'stranger')).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_NOT_OWNED }));
    broker.commitOffset('g', 't', 0, 6);
    expect(broker.committedOffset('g', 't', 0)).toBe(6);

    broker.commitOffset('g', 't', 2, 3, 'a');
    expect(broker.committedOffset('g', 't', 2)).toBe(3);
    const progress = await broker.groupProgress('g', 't');
    expect(progress.map((p) => p.owner)).toEqual(['a', 'a', undefined, undefined]);
    expect((await sync('b')).owned).toEqual([2, 3]);
  });

  it('resets offsets under their owner: its commits are refused until it released and got the queues again', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    await broker.produce(
      Array.from({ length: 5 }, (_, i) => ({ topic: 't', body: Buffer.from(`m${i}`) })),
      { protocol: 'internal' },
    );
    await joinGroup('a');
    const first = await sync('a');
    expect(first.owned).toEqual([0, 1]);
    broker.commitOffset('g', 't', 0, 3, 'a');
    broker.commitOffset('g', 't', 1, 2, 'a');

    const heldByA = sync('a', [0, 1], { knownGeneration: first.generation, maxWaitMs: 2000 });
    await sleep(20);
    expect(await broker.resetOffsets('g', 't', { offset: 1 })).toEqual([
      { queueId: 0, offset: 1 },
      { queueId: 1, offset: 1 },
    ]);
    expect(await heldByA).toMatchObject({ owned: [], revoked: [0, 1] });
    expect(() => broker.commitOffset('g', 't', 0, 3, 'a')).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_NOT_OWNED }));
    expect(broker.committedOffset('g', 't', 0)).toBe(1);

    expect(await sync('a', [])).toMatchObject({ owned: [0, 1], revoked: [] });
    expect([broker.committedOffset('g', 't', 0), broker.committedOffset('g', 't', 1)]).toEqual([1, 1]);
    broker.commitOffset('g', 't', 0, 2, 'a');
    expect(broker.committedOffset('g', 't', 0)).toBe(2);

    expect(await broker.resetOffsets('g', 't', { offset: 99 })).toEqual([
      { queueId: 0, offset: 3 },
      { queueId: 1, offset: 2 },
    ]);
    expect((await broker.resetOffsets('g', 't', { offset: -5 })).map((r) => r.offset)).toEqual([0, 0]);
    await expect(broker.resetOffsets('g', 't', { offset: 1.5 })).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.resetOffsets('g', 'missing', { offset: 0 })).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
  });

  it('resets to a point in time: the first message stored at or after it', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    const produce = (body: string) => broker.produce([{ topic: 't', body: Buffer.from(body) }], { protocol: 'internal' });
    await produce('before');
    await sleep(20);
    const [atTimestamp] = await produce('at');
    await produce('after');
    expect(await broker.resetOffsets('g', 't', { timestamp: atTimestamp!.storeTimestamp })).toEqual([{ queueId: 0, offset: 1 }]);
    expect(broker.committedOffset('g', 't', 0)).toBe(1);
    expect(await broker.resetOffsets('g', 't', { timestamp: Date.now() + 60_000 })).toEqual([{ queueId: 0, offset: 3 }]);
    expect(await broker.resetOffsets('g', 't', { timestamp: 0 })).toEqual([{ queueId: 0, offset: 0 }]);
  });

  it('reports committed offset, range, lag and owner per queue of every topic the group uses', async () => {
    await start();
    await broker.topics.create({ name: 'a', writeQueueCount: 2 });
    await broker.topics.create({ name: 'b', writeQueueCount: 1 });
    const produce = (topic: string, queueId: number, count: number) =>
      broker.produce(
        Array.from({ length: count }, () => ({ topic, queueId, body: Buffer.from('x') })),
        { protocol: 'internal' },
      );
    await produce('a', 0, 3);
    await produce('a', 1, 1);
    await produce('b', 0, 2);
    await broker.heartbeat({ group: 'g', clientId: 'm', topics: ['a'], messageModel: 'CLUSTERING' });
    await broker.syncAssignment({ group: 'g', topic: 'a', clientId: 'm', held: [] });
    broker.commitOffset('g', 'a', 1, 1, 'm');
    broker.commitOffset('g', 'b', 0, 1);

    expect(await broker.groupProgress('g')).toEqual([
      { topic: 'a', queueId: 0, minOffset: 0, maxOffset: 3, lag: 3, owner: 'm' },
      { topic: 'a', queueId: 1, committedOffset: 1, minOffset: 0, maxOffset: 1, lag: 0, owner: 'm' },
      { topic: 'b', queueId: 0, committedOffset: 1, minOffset: 0, maxOffset: 2, lag: 1 },
    ]);
    expect((await broker.groupProgress('g', 'b')).map((p) => `${p.topic}/${p.queueId}`)).toEqual(['b/0']);
    await expect(broker.groupProgress('nobody')).rejects.toMatchObject({ code: ErrorCode.GROUP_NOT_FOUND });
    await expect(broker.groupProgress('g', 'missing')).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
  });

  it('rebuilds ownership from the queues members hold, as after a broker restart', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    await joinGroup('a');
    await joinGroup('b');
    expect(await sync('b', [0, 1, 2, 3])).toMatchObject({ owned: [2, 3], revoked: [0, 1] });
    const a = await sync('a');
    expect(a.owned).toEqual([]);
    const heldByA = sync('a', [], { knownGeneration: a.generation, maxWaitMs: 2000 });
    await sleep(20);
    await sync('b', [2, 3]);
    expect((await heldByA).owned).toEqual([0, 1]);
  });

  it('revokes queues a smaller read queue count removed', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    await joinGroup('a');
    await sync('a');
    await broker.topics.update('t', { readQueueCount: 2 });
    expect(await sync('a', [0, 1, 2, 3])).toMatchObject({ owned: [0, 1], revoked: [2, 3] });
  });

  it('answers a held sync when its wait passes, its signal aborts, or the broker stops', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    await joinGroup('a');
    const first = await sync('a');
    const holdA = (request: Partial<AssignmentSyncRequest>) => sync('a', first.owned, { knownGeneration: first.generation, ...request });

    let started = Date.now();
    expect(await holdA({ maxWaitMs: 100 })).toEqual(first);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);

    const abort = new AbortController();
    started = Date.now();
    const aborted = holdA({ maxWaitMs: 10_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 20);
    expect(await aborted).toEqual(first);
    expect(Date.now() - started).toBeLessThan(500);

    started = Date.now();
    const stopped = holdA({ maxWaitMs: 10_000 });
    await sleep(20);
    await runtime.stop();
    expect(await stopped).toEqual(first);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('forgets a group’s topic once no member subscribes to it any more', async () => {
    await start();
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    const coordinator = runtime.container.get<GroupCoordinator>(GroupCoordinator);
    await joinGroup('a');
    await joinGroup('b');
    await sync('a');
    await sync('b');
    expect(coordinator.trackedAssignments).toBe(1);
    await broker.leaveGroup('g', 'a');
    await settle();
    expect(coordinator.trackedAssignments).toBe(1);
    await broker.leaveGroup('g', 'b');
    await settle();
    expect(coordinator.trackedAssignments).toBe(0);
  });
});
