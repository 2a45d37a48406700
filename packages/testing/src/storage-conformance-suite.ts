import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeMessageId,
  encodeMessageId,
  ErrorCode,
  tagHash,
  TesseraError,
  type AppendMessage,
  type AppendResult,
  type StorageEngine,
  type StoredMessage,
} from '@tessera/kernel';

export interface StorageConformanceOptions {
  /** Names the engine in the test titles. */
  name: string;
  /** A new, unopened engine keeping its files under `dataDir` (a fresh temp dir per test). */
  createEngine(dataDir: string): StorageEngine;
  /** Whether a new engine on the same dir sees everything a closed one held. */
  supportsReopen: boolean;
  /** Whether the engine keeps data in segments that enforceRetention deletes (and so can answer OFFSET_TOO_SMALL). */
  supportsRetention?: boolean;
}

const LARGE_BODY_BYTES = 1024 * 1024;

/**
 * The behaviour every StorageEngine must have, as jest `describe`/`it` blocks (the way
 * aedes-persistence ships one abstract suite for all its backends). Call it from a spec file.
 */
export function storageConformanceSuite(options: StorageConformanceOptions): void {
  describe(`${options.name} storage conformance`, () => {
    let dataDir: string;
    let engine: StorageEngine;

    beforeEach(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'tessera-storage-conformance-'));
      engine = options.createEngine(dataDir);
      await engine.open();
    });

    afterEach(async () => {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    describe('append', () => {
      it('assigns gapless queue offsets per topic-queue, in batch order', async () => {
        const first = await engine.append(bodies('orders', 0, 5));
        const second = await engine.append(bodies('orders', 0, 3));
        const otherQueue = await engine.append(bodies('orders', 1, 2));
        expect(first.map((r) => r.queueOffset)).toEqual([0, 1, 2, 3, 4]);
        expect(second.map((r) => r.queueOffset)).toEqual([5, 6, 7]);
        expect(otherQueue.map((r) => r.queueOffset)).toEqual([0, 1]);
        const all = [...first, ...second, ...otherQueue];
        expectIncreasing(all.map((r) => r.commitLogOffset));
        expect(new Set(all.map((r) => r.msgId)).size).toBe(all.length);
        for (const result of all) {
          expect(result.storeSize).toBeGreaterThan(0);
          expect(decodeMessageId(result.msgId)?.commitLogOffset).toBe(result.commitLogOffset);
        }
      });

      it('spreads one batch over several topics and queues, results in batch order', async () => {
        const batch = [msg('a', 0, 'a0-0'), msg('b', 1, 'b1-0'), msg('a', 0, 'a0-1'), msg('a', 1, 'a1-0'), msg('b', 1, 'b1-1')];
        const results = await engine.append(batch);
        expect(results.map((r) => r.queueOffset)).toEqual([0, 0, 1, 0, 1]);
        expect(await bodiesOf(engine, 'a', 0)).toEqual(['a0-0', 'a0-1']);
        expect(await bodiesOf(engine, 'a', 1)).toEqual(['a1-0']);
        expect(await bodiesOf(engine, 'b', 1)).toEqual(['b1-0', 'b1-1']);
      });

      it('keeps offsets unique and gapless under concurrent appends from many callers', async () => {
        const callers = 16;
        const batchesPerCaller = 8;
        const perBatch = 4;
        const work = Array.from({ length: callers }, async (_, caller) => {
          const results: Array<{ result: AppendResult; body: string; queueId: number }> = [];
          for (let b = 0; b < batchesPerCaller; b++) {
            const batch = Array.from({ length: perBatch }, (_, i) => msg('busy', caller % 2, `c${caller}-b${b}-m${i}`));
            const out = await engine.append(batch);
            out.forEach((result, i) => results.push({ result, body: batch[i]!.body.toString(), queueId: caller % 2 }));
          }
          return results;
        });
        const all = (await Promise.all(work)).flat();
        for (const queueId of [0, 1]) {
          const inQueue = all.filter((entry) => entry.queueId === queueId);
          const offsets = inQueue.map((entry) => entry.result.queueOffset).sort((x, y) => x - y);
          expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => i));
          const stored = await readAll(engine, 'busy', queueId);
          const byOffset = new Map(inQueue.map((entry) => [entry.result.queueOffset, entry.body]));
          expect(stored.map((m) => m.body.toString())).toEqual(stored.map((m) => byOffset.get(m.queueOffset)));
          expect(stored.length).toBe(inQueue.length);
        }
        expect(new Set(all.map((entry) => entry.result.msgId)).size).toBe(all.length);
      });

      it('exposes a batch from its onReadable call on (once, no later than the append resolves), never before', async () => {
        let readableCalls = 0;
        let readableWhenCalled: number | undefined;
        let callsWhenResolved: number | undefined;
        const pending = engine
          .append(bodies('visible', 0, 3), () => {
            readableCalls++;
            readableWhenCalled = engine.queueRange('visible', 0).maxOffset;
          })
          .then((results) => {
            callsWhenResolved = readableCalls;
            return results;
          });
        const earlySightings: number[] = [];
        for (let i = 0; i < 200 && callsWhenResolved === undefined; i++) {
          const calledBefore = readableCalls > 0;
          const range = engine.queueRange('visible', 0);
          const read = await engine.read({ topic: 'visible', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
          if (!calledBefore && range.maxOffset > 0) earlySightings.push(i);
          if (readableCalls === 0 && read.messages.length > 0) earlySightings.push(i);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await pending;
        expect(earlySightings).toEqual([]);
        expect(callsWhenResolved).toBe(1);
        expect(readableWhenCalled).toBe(3);
        expect(readableCalls).toBe(1);
        expect(engine.queueRange('visible', 0)).toEqual({ minOffset: 0, maxOffset: 3 });
      });

      it('rejects bad input with BAD_REQUEST and keeps working', async () => {
        await expectCode(engine.append([msg('t', -1, 'x')]), ErrorCode.BAD_REQUEST);
        await expectCode(engine.append([{ ...msg('', 0, 'x') }]), ErrorCode.BAD_REQUEST);
        await expectCode(engine.read({ topic: 't', queueId: 0, offset: -1, maxCount: 1, maxBytes: 1 }), ErrorCode.BAD_REQUEST);
        await expectCode(engine.read({ topic: 't', queueId: 0, offset: 0, maxCount: 0, maxBytes: 1 }), ErrorCode.BAD_REQUEST);
        const [result] = await engine.append([msg('t', 0, 'fine')]);
        expect(result!.queueOffset).toBe(0);
      });
    });

    describe('read', () => {
      beforeEach(async () => {
        await engine.append(Array.from({ length: 10 }, (_, i) => msg('q', 0, `m${i}`.padEnd(100, '.'))));
      });

      it('returns at most maxCount messages and where to continue', async () => {
        const result = await engine.read({ topic: 'q', queueId: 0, offset: 2, maxCount: 3, maxBytes: 1 << 20 });
        expect(result.status).toBe('FOUND');
        expect(result.messages.map((m) => m.queueOffset)).toEqual([2, 3, 4]);
        expect(result.nextOffset).toBe(5);
        expect(result.minOffset).toBe(0);
        expect(result.maxOffset).toBe(10);
      });

      it('stops at maxBytes of bodies but always returns one message', async () => {
        const two = await engine.read({ topic: 'q', queueId: 0, offset: 0, maxCount: 10, maxBytes: 250 });
        expect(two.messages.map((m) => m.queueOffset)).toEqual([0, 1]);
        expect(two.nextOffset).toBe(2);
        const one = await engine.read({ topic: 'q', queueId: 0, offset: 7, maxCount: 10, maxBytes: 1 });
        expect(one.messages.map((m) => m.queueOffset)).toEqual([7]);
        expect(one.nextOffset).toBe(8);
      });

      it('reads to the end of the queue', async () => {
        const result = await engine.read({ topic: 'q', queueId: 0, offset: 8, maxCount: 100, maxBytes: 1 << 20 });
        expect(result.messages.map((m) => m.body.toString().slice(0, 2))).toEqual(['m8', 'm9']);
        expect(result.nextOffset).toBe(10);
      });

      it('reports NO_NEW_MESSAGE, OFFSET_OVERFLOW and NO_QUEUE', async () => {
        const atEnd = await engine.read({ topic: 'q', queueId: 0, offset: 10, maxCount: 5, maxBytes: 1 << 20 });
        expect(atEnd).toMatchObject({ status: 'NO_NEW_MESSAGE', messages: [], nextOffset: 10, maxOffset: 10 });
        const beyond = await engine.read({ topic: 'q', queueId: 0, offset: 11, maxCount: 5, maxBytes: 1 << 20 });
        expect(beyond).toMatchObject({ status: 'OFFSET_OVERFLOW', messages: [], nextOffset: 10, maxOffset: 10 });
        const none = await engine.read({ topic: 'nowhere', queueId: 0, offset: 0, maxCount: 5, maxBytes: 1 << 20 });
        expect(none).toMatchObject({ status: 'NO_QUEUE', messages: [], minOffset: 0, maxOffset: 0 });
        const otherQueue = await engine.read({ topic: 'q', queueId: 3, offset: 0, maxCount: 5, maxBytes: 1 << 20 });
        expect(otherQueue.status).toBe('NO_QUEUE');
      });
    });

    describe('filters', () => {
      beforeEach(async () => {
        await engine.append(
          ['A', 'B', 'A', 'B', 'A'].map((tag, i) => ({ ...msg('tags', 0, `m${i}`), tag, properties: { n: String(i) } })),
        );
      });

      it('skips entries by tag hash before touching the message', async () => {
        const wanted = tagHash('A');
        const seenHashes: number[] = [];
        const result = await engine.read({
          topic: 'tags',
          queueId: 0,
          offset: 0,
          maxCount: 10,
          maxBytes: 1 << 20,
          filter: {
            matchQueueEntry: (hash) => {
              seenHashes.push(hash);
              return hash === wanted;
            },
          },
        });
        expect(result.status).toBe('FOUND');
        expect(result.messages.map((m) => m.queueOffset)).toEqual([0, 2, 4]);
        expect(result.messages.every((m) => m.tag === 'A')).toBe(true);
        expect(result.nextOffset).toBe(5);
        expect(seenHashes).toEqual([tagHash('A'), tagHash('B'), tagHash('A'), tagHash('B'), tagHash('A')]);
      });

      it('filters on the whole message', async () => {
        const result = await engine.read({
          topic: 'tags',
          queueId: 0,
          offset: 0,
          maxCount: 10,
          maxBytes: 1 << 20,
          filter: { matchMessage: (m) => Number(m.properties.n) >= 3 },
        });
        expect(result.messages.map((m) => m.queueOffset)).toEqual([3, 4]);
      });

      it('continues after the last returned message when maxCount is reached', async () => {
        const result = await engine.read({
          topic: 'tags',
          queueId: 0,
          offset: 0,
          maxCount: 2,
          maxBytes: 1 << 20,
          filter: { matchQueueEntry: (hash) => hash === tagHash('A') },
        });
        expect(result.messages.map((m) => m.queueOffset)).toEqual([0, 2]);
        expect(result.nextOffset).toBe(3);
      });

      it('answers NO_MATCHED_MESSAGE and moves nextOffset past what it skipped', async () => {
        const result = await engine.read({
          topic: 'tags',
          queueId: 0,
          offset: 1,
          maxCount: 10,
          maxBytes: 1 << 20,
          filter: { matchQueueEntry: (hash) => hash === tagHash('C') },
        });
        expect(result).toMatchObject({ status: 'NO_MATCHED_MESSAGE', messages: [], nextOffset: 5, maxOffset: 5 });
      });
    });

    describe('queue metadata', () => {
      it('reports queue ranges and the queue ids a topic holds', async () => {
        expect(engine.queueRange('meta', 0)).toEqual({ minOffset: 0, maxOffset: 0 });
        expect(engine.queueIds('meta')).toEqual([]);
        await engine.append([msg('meta', 3, 'x'), msg('meta', 1, 'y'), msg('meta', 3, 'z'), msg('other', 0, 'w')]);
        expect(engine.queueIds('meta')).toEqual([1, 3]);
        expect(engine.queueRange('meta', 3)).toEqual({ minOffset: 0, maxOffset: 2 });
        expect(engine.queueRange('meta', 1)).toEqual({ minOffset: 0, maxOffset: 1 });
      });

      it('finds the first offset stored at or after a time', async () => {
        const early = await engine.append(bodies('timed', 0, 3));
        await sleep(15);
        const late = await engine.append(bodies('timed', 0, 2));
        expect(late[0]!.storeTimestamp).toBeGreaterThan(early[2]!.storeTimestamp);
        expect(await engine.offsetForTimestamp('timed', 0, 0)).toBe(0);
        expect(await engine.offsetForTimestamp('timed', 0, early[0]!.storeTimestamp)).toBe(0);
        expect(await engine.offsetForTimestamp('timed', 0, early[2]!.storeTimestamp + 1)).toBe(3);
        expect(await engine.offsetForTimestamp('timed', 0, late[0]!.storeTimestamp)).toBe(3);
        expect(await engine.offsetForTimestamp('timed', 0, late[1]!.storeTimestamp + 1)).toBe(5);
      });
    });

    describe('lookups', () => {
      it('gets a message by id, and nothing for unknown or garbled ids', async () => {
        const results = await engine.append(bodies('ids', 0, 3));
        const found = await engine.getByMsgId(results[1]!.msgId);
        expect(found?.body.toString()).toBe('ids-0-1');
        expect(found?.queueOffset).toBe(1);
        expect(found?.commitLogOffset).toBe(results[1]!.commitLogOffset);
        const decoded = decodeMessageId(results[1]!.msgId)!;
        expect(await engine.getByMsgId(encodeMessageId(decoded.storeId, decoded.commitLogOffset + 1))).toBeUndefined();
        expect(await engine.getByMsgId(encodeMessageId(decoded.storeId, 2 ** 40))).toBeUndefined();
        expect(await engine.getByMsgId('not-an-id')).toBeUndefined();
        expect(await engine.getByMsgId('')).toBeUndefined();
      });

      it('queries by key across several keys per message, time bounds and maxCount', async () => {
        const [first] = await engine.append([{ ...msg('keyed', 0, 'one'), keys: ['order-1', 'user-7'] }]);
        await sleep(15);
        const [second] = await engine.append([{ ...msg('keyed', 1, 'two'), keys: ['user-7'] }]);
        await engine.append([{ ...msg('elsewhere', 0, 'three'), keys: ['user-7'] }]);
        const byUser = await engine.queryByKey({ topic: 'keyed', key: 'user-7', maxCount: 10 });
        expect(sortedBodies(byUser)).toEqual(['one', 'two']);
        expect(sortedBodies(await engine.queryByKey({ topic: 'keyed', key: 'order-1', maxCount: 10 }))).toEqual(['one']);
        expect(await engine.queryByKey({ topic: 'keyed', key: 'user-7', maxCount: 1 })).toHaveLength(1);
        const afterFirst = await engine.queryByKey({
          topic: 'keyed',
          key: 'user-7',
          maxCount: 10,
          beginTimestamp: first!.storeTimestamp + 1,
        });
        expect(sortedBodies(afterFirst)).toEqual(['two']);
        const upToFirst = await engine.queryByKey({
          topic: 'keyed',
          key: 'user-7',
          maxCount: 10,
          beginTimestamp: first!.storeTimestamp,
          endTimestamp: second!.storeTimestamp - 1,
        });
        expect(sortedBodies(upToFirst)).toEqual(['one']);
        expect(await engine.queryByKey({ topic: 'keyed', key: 'missing', maxCount: 10 })).toEqual([]);
        expect(await engine.queryByKey({ topic: 'nowhere', key: 'user-7', maxCount: 10 })).toEqual([]);
      });
    });

    describe('round trip', () => {
      it('keeps every field byte-exact, through read and by id', async () => {
        const large = randomBytes(LARGE_BODY_BYTES);
        const batch: AppendMessage[] = [
          {
            topic: 'exact',
            queueId: 2,
            body: Buffer.from([0, 1, 2, 255, 254]),
            tag: 'Tag-é',
            keys: ['k1', 'ключ', 'k 3'],
            properties: { plain: 'v', unicode: 'ünï ✓', empty: '', 'with=sign;and|bar': 'x\ny' },
            bornTimestamp: 1_700_000_000_123,
            flag: 0x7fff_ffff,
            reconsumeTimes: 16,
          },
          { topic: 'exact', queueId: 2, body: Buffer.alloc(0), bornTimestamp: 1, flag: 0, reconsumeTimes: 0 },
          { topic: 'exact', queueId: 2, body: large, tag: 'big', bornTimestamp: Date.now(), flag: 4, reconsumeTimes: 1 },
        ];
        const results = await engine.append(batch);
        const read = await engine.read({ topic: 'exact', queueId: 2, offset: 0, maxCount: 10, maxBytes: 4 * LARGE_BODY_BYTES });
        expect(read.messages).toHaveLength(3);
        for (const [i, stored] of read.messages.entries()) {
          expectStoredEquals(stored, batch[i]!, results[i]!);
          expectStoredEquals((await engine.getByMsgId(results[i]!.msgId))!, batch[i]!, results[i]!);
        }
      });
    });

    describe('topics and lifecycle', () => {
      it('deletes a topic’s queues without touching other topics', async () => {
        await engine.append([{ ...msg('doomed', 0, 'a'), keys: ['k'] }, msg('doomed', 1, 'b'), { ...msg('kept', 0, 'c'), keys: ['k'] }]);
        await engine.deleteTopic('doomed');
        expect(await engine.queryByKey({ topic: 'doomed', key: 'k', maxCount: 10 })).toEqual([]);
        expect(sortedBodies(await engine.queryByKey({ topic: 'kept', key: 'k', maxCount: 10 }))).toEqual(['c']);
        expect(engine.queueIds('doomed')).toEqual([]);
        expect(engine.queueRange('doomed', 0)).toEqual({ minOffset: 0, maxOffset: 0 });
        expect((await engine.read({ topic: 'doomed', queueId: 0, offset: 0, maxCount: 1, maxBytes: 100 })).status).toBe('NO_QUEUE');
        expect(await bodiesOf(engine, 'kept', 0)).toEqual(['c']);
        const [again] = await engine.append([{ ...msg('doomed', 0, 'reborn'), keys: ['k'] }]);
        expect(again!.queueOffset).toBe(0);
        expect(await bodiesOf(engine, 'doomed', 0)).toEqual(['reborn']);
        expect(sortedBodies(await engine.queryByKey({ topic: 'doomed', key: 'k', maxCount: 10 }))).toEqual(['reborn']);
      });

      it('reports its stats', async () => {
        const results = await engine.append(bodies('stats', 0, 4));
        await engine.flush();
        const stats = engine.stats();
        const last = results[results.length - 1]!;
        expect(stats.writtenOffset).toBeGreaterThanOrEqual(last.commitLogOffset + last.storeSize);
        expect(stats.flushedOffset).toBe(stats.writtenOffset);
        expect(stats.logBytes).toBeGreaterThan(0);
        expect(stats.segmentCount).toBeGreaterThanOrEqual(1);
      });

      it('refuses appends after close', async () => {
        await engine.append(bodies('closing', 0, 1));
        await engine.close();
        await expectCode(engine.append(bodies('closing', 0, 1)), ErrorCode.STORE_UNAVAILABLE);
      });
    });

    if (options.supportsRetention) {
      describe('retention', () => {
        it('drops whole old segments; reads below the new minimum answer OFFSET_TOO_SMALL', async () => {
          const body = Buffer.alloc(64 * 1024, 1);
          let sent: AppendResult[] = [];
          for (let round = 0; round < 500 && engine.stats().segmentCount < 4; round++) {
            sent = sent.concat(await engine.append(Array.from({ length: 8 }, () => ({ ...msg('aging', 0, ''), body }))));
          }
          expect(engine.stats().segmentCount).toBeGreaterThanOrEqual(4);
          const report = await engine.enforceRetention(Date.now() + 10 * 365 * 24 * 3_600_000);
          expect(report.deletedSegments).toBeGreaterThanOrEqual(1);
          expect(report.deletedBytes).toBeGreaterThan(0);
          const { minOffset, maxOffset } = engine.queueRange('aging', 0);
          expect(minOffset).toBeGreaterThan(0);
          expect(maxOffset).toBe(sent.length);
          const tooSmall = await engine.read({ topic: 'aging', queueId: 0, offset: 0, maxCount: 1, maxBytes: 1 << 20 });
          expect(tooSmall).toMatchObject({ status: 'OFFSET_TOO_SMALL', messages: [], nextOffset: minOffset, minOffset, maxOffset });
          const first = await engine.read({ topic: 'aging', queueId: 0, offset: minOffset, maxCount: 1, maxBytes: 1 << 20 });
          expect(first.messages[0]?.msgId).toBe(sent[minOffset]!.msgId);
          expect(await engine.offsetForTimestamp('aging', 0, 0)).toBe(minOffset);
          expect(await engine.getByMsgId(sent[0]!.msgId)).toBeUndefined();
        });
      });
    }

    if (options.supportsReopen) {
      describe('reopen', () => {
        it('keeps everything across close and a new engine on the same dir', async () => {
          const first = await engine.append([
            { ...msg('durable', 0, 'd0'), keys: ['k'], tag: 'T' },
            msg('durable', 1, 'd1'),
            { ...msg('other', 0, 'o0'), properties: { p: 'q' } },
          ]);
          await sleep(15);
          const second = await engine.append([{ ...msg('durable', 0, 'd2'), keys: ['k'] }]);
          const before = engine.stats();
          await engine.close();

          engine = options.createEngine(dataDir);
          await engine.open();
          expect(engine.queueIds('durable')).toEqual([0, 1]);
          expect(engine.queueRange('durable', 0)).toEqual({ minOffset: 0, maxOffset: 2 });
          expect(await bodiesOf(engine, 'durable', 0)).toEqual(['d0', 'd2']);
          expect(await bodiesOf(engine, 'durable', 1)).toEqual(['d1']);
          expect((await engine.getByMsgId(first[2]!.msgId))?.properties).toEqual({ p: 'q' });
          expect(sortedBodies(await engine.queryByKey({ topic: 'durable', key: 'k', maxCount: 10 }))).toEqual(['d0', 'd2']);
          expect(await engine.offsetForTimestamp('durable', 0, second[0]!.storeTimestamp)).toBe(1);
          expect(engine.stats().writtenOffset).toBe(before.writtenOffset);

          const [next] = await engine.append([msg('durable', 0, 'd3')]);
          expect(next!.queueOffset).toBe(2);
          expect(next!.commitLogOffset).toBeGreaterThanOrEqual(before.writtenOffset);
        });
      });
    }
  });
}

function msg(topic: string, queueId: number, body: string): AppendMessage {
  return { topic, queueId, body: Buffer.from(body), bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

function bodies(topic: string, queueId: number, count: number): AppendMessage[] {
  return Array.from({ length: count }, (_, i) => msg(topic, queueId, `${topic}-${queueId}-${i}`));
}

async function readAll(engine: StorageEngine, topic: string, queueId: number): Promise<StoredMessage[]> {
  const messages: StoredMessage[] = [];
  let offset = engine.queueRange(topic, queueId).minOffset;
  for (let round = 0; round < 10_000; round++) {
    const result = await engine.read({ topic, queueId, offset, maxCount: 64, maxBytes: 1 << 24 });
    if (result.status !== 'FOUND') break;
    messages.push(...result.messages);
    offset = result.nextOffset;
  }
  return messages;
}

async function bodiesOf(engine: StorageEngine, topic: string, queueId: number): Promise<string[]> {
  return (await readAll(engine, topic, queueId)).map((m) => m.body.toString());
}

function sortedBodies(messages: StoredMessage[]): string[] {
  return [...messages].sort((a, b) => a.commitLogOffset - b.commitLogOffset).map((m) => m.body.toString());
}

function expectIncreasing(values: number[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]!);
}

function expectStoredEquals(stored: StoredMessage, sent: AppendMessage, result: AppendResult): void {
  expect(stored.body.equals(sent.body)).toBe(true);
  expect(stored.topic).toBe(sent.topic);
  expect(stored.queueId).toBe(sent.queueId);
  expect(stored.tag).toBe(sent.tag);
  expect(stored.keys).toEqual(sent.keys ?? []);
  expect(stored.properties).toEqual(sent.properties ?? {});
  expect(stored.bornTimestamp).toBe(sent.bornTimestamp);
  expect(stored.flag).toBe(sent.flag);
  expect(stored.reconsumeTimes).toBe(sent.reconsumeTimes);
  expect(stored.msgId).toBe(result.msgId);
  expect(result.topic).toBe(sent.topic);
  expect(result.queueId).toBe(sent.queueId);
  expect(stored.queueOffset).toBe(result.queueOffset);
  expect(stored.commitLogOffset).toBe(result.commitLogOffset);
  expect(stored.storeTimestamp).toBe(result.storeTimestamp);
  expect(stored.storeSize).toBe(result.storeSize);
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(TesseraError.is(error, code)).toBe(true);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
