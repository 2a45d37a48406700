import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppendMessage, AppendResult, StorageEngine } from '@tessera/kernel';
import type { CommitLogOptions } from './commit-log-options';
import { createTestEngine } from './create-test-engine.spec-helper';

const OPTIONS: Partial<CommitLogOptions> = { segmentBytes: 8192, consumeQueueEntriesPerFile: 16, indexEntriesPerFile: 16, indexSlotCount: 16 };

function msg(queueId: number, body: string, keys?: string[]): AppendMessage {
  return { topic: 'rec', queueId, body: Buffer.from(body), keys, bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

describe('CommitLogStorageEngine recovery', () => {
  let dataDir: string;
  let engine: StorageEngine;
  let results: AppendResult[];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-commitlog-recovery-'));
    engine = createTestEngine(dataDir, OPTIONS);
    await engine.open();
    results = [];
    for (let i = 0; i < 20; i++) results.push(...(await engine.append([msg(i % 2, `r${i}`.padEnd(200, '.'), [`key-${i % 3}`])])));
    await engine.close();
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function reopen(): Promise<StorageEngine> {
    engine = createTestEngine(dataDir, OPTIONS);
    await engine.open();
    return engine;
  }

  function segmentPath(position: number): string {
    return join(dataDir, 'commitlog', String(position - (position % 8192)).padStart(20, '0'));
  }

  async function bodies(queueId: number): Promise<string[]> {
    const read = await engine.read({ topic: 'rec', queueId, offset: 0, maxCount: 100, maxBytes: 1 << 20 });
    return read.messages.map((m) => m.body.toString().split('.')[0]!);
  }

  const expectedBodies = (queueId: number, count = 20): string[] =>
    Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === queueId).map((i) => `r${i}`);

  it('truncates a torn tail: the cut record is gone, everything before it served', async () => {
    const last = results[results.length - 1]!;
    truncateSync(segmentPath(last.commitLogOffset), (last.commitLogOffset % 8192) + 50);
    await reopen();
    expect(engine.queueRange('rec', 1)).toEqual({ minOffset: 0, maxOffset: 9 });
    expect(await bodies(1)).toEqual(expectedBodies(1, 19));
    expect(await bodies(0)).toEqual(expectedBodies(0));
    expect(await engine.getByMsgId(last.msgId)).toBeUndefined();
    expect(statSync(segmentPath(last.commitLogOffset)).size).toBe(last.commitLogOffset % 8192);
    const [next] = await engine.append([msg(1, 'after')]);
    expect(next!.queueOffset).toBe(9);
    expect(next!.commitLogOffset).toBe(last.commitLogOffset);
  });

  it('detects a flipped byte in the last record and truncates that record, never serving it', async () => {
    const last = results[results.length - 1]!;
    const fd = openSync(segmentPath(last.commitLogOffset), 'r+');
    const at = (last.commitLogOffset % 8192) + last.storeSize - 3;
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    byte[0] ^= 0x20;
    writeSync(fd, byte, 0, 1, at);
    closeSync(fd);
    await reopen();
    expect(engine.queueRange('rec', 1).maxOffset).toBe(9);
    expect(await bodies(1)).toEqual(expectedBodies(1, 19));
    expect(await engine.getByMsgId(last.msgId)).toBeUndefined();
    const byKey = await engine.queryByKey({ topic: 'rec', key: 'key-1', maxCount: 100 });
    expect(byKey.map((m) => m.body.toString().split('.')[0]).sort()).toEqual(['r1', 'r10', 'r13', 'r16', 'r4', 'r7']);
  });

  it('rebuilds a deleted consume queue', async () => {
    rmSync(join(dataDir, 'consumequeue', 'rec', '0'), { recursive: true });
    await reopen();
    expect(engine.queueIds('rec')).toEqual([0, 1]);
    expect(await bodies(0)).toEqual(expectedBodies(0));
    expect(await bodies(1)).toEqual(expectedBodies(1));
  });

  it('rebuilds a consume queue that lags the log', async () => {
    const dir = join(dataDir, 'consumequeue', 'rec', '1');
    for (const file of readdirSync(dir).sort().slice(1)) unlinkSync(join(dir, file));
    truncateSync(join(dir, readdirSync(dir).sort()[0]!), 24 * 3);
    await reopen();
    expect(engine.queueRange('rec', 1)).toEqual({ minOffset: 0, maxOffset: 10 });
    expect(await bodies(1)).toEqual(expectedBodies(1));
  });

  it('rebuilds indexes from the whole log when the checkpoint is missing', async () => {
    unlinkSync(join(dataDir, 'checkpoint'));
    rmSync(join(dataDir, 'index'), { recursive: true });
    await reopen();
    expect(await bodies(0)).toEqual(expectedBodies(0));
    const byKey = await engine.queryByKey({ topic: 'rec', key: 'key-0', maxCount: 100 });
    expect(byKey).toHaveLength(7);
  });

  it('re-indexes records the checkpoint had not covered (crash before the indexes caught up)', async () => {
    await reopen();
    const more = await engine.append([msg(0, 'late-0', ['late']), msg(1, 'late-1', ['late'])]);
    // Simulate a crash: the consume queues and key index never saw the last records.
    await engine.close();
    const cq = join(dataDir, 'consumequeue', 'rec', '0');
    const lastFile = readdirSync(cq).sort().pop()!;
    truncateSync(join(cq, lastFile), statSync(join(cq, lastFile)).size - 24);
    const checkpointFd = openSync(join(dataDir, 'checkpoint'), 'w');
    writeSync(checkpointFd, JSON.stringify({ version: 1, indexedOffset: results[10]!.commitLogOffset, queues: {}, deletedTopics: {} }));
    closeSync(checkpointFd);
    await reopen();
    expect(engine.queueRange('rec', 0).maxOffset).toBe(11);
    expect((await bodies(0)).slice(-1)).toEqual(['late-0']);
    const late = await engine.queryByKey({ topic: 'rec', key: 'late', maxCount: 10 });
    expect(late.map((m) => m.msgId).sort()).toEqual(more.map((r) => r.msgId).sort());
    expect(await engine.queryByKey({ topic: 'rec', key: 'key-2', maxCount: 100 })).toHaveLength(6);
  });

  it('does not resurrect a deleted topic when rebuilding from the whole log', async () => {
    await reopen();
    await engine.append([{ ...msg(0, 'other'), topic: 'other' }]);
    await engine.deleteTopic('rec');
    await engine.close();
    rmSync(join(dataDir, 'consumequeue', 'other'), { recursive: true });
    await reopen();
    expect(engine.queueIds('rec')).toEqual([]);
    expect(engine.queueRange('other', 0)).toEqual({ minOffset: 0, maxOffset: 1 });
    expect(await engine.queryByKey({ topic: 'rec', key: 'key-0', maxCount: 100 })).toEqual([]);
  });
});
