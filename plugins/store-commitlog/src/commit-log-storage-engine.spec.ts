import type { FileHandle } from 'node:fs/promises';
import { mkdtempSync, openSync, readdirSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, TesseraError, type AppendMessage, type StorageEngine } from '@tessera/kernel';
import { createTestEngine } from './create-test-engine.spec-helper';
import { openFile, type FileOpener } from './file-opener';
import { RecordLayout } from './record-layout';

function msg(topic: string, queueId: number, body: string | Buffer, keys?: string[]): AppendMessage {
  return { topic, queueId, body: Buffer.isBuffer(body) ? body : Buffer.from(body), keys, bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

describe('CommitLogStorageEngine write path', () => {
  let dataDir: string;
  const engines: StorageEngine[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-commitlog-'));
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function openEngine(...args: Parameters<typeof createTestEngine> extends [string, ...infer Rest] ? Rest : never): Promise<StorageEngine> {
    const engine = createTestEngine(dataDir, ...args);
    engines.push(engine);
    await engine.open();
    return engine;
  }

  it('rolls small segments, named by start offset, each record at offset minus segment start', async () => {
    const engine = await openEngine({ segmentBytes: 4096 });
    const results = [];
    for (let i = 0; i < 10; i++) results.push(...(await engine.append(Array.from({ length: 5 }, (_, j) => msg('roll', j % 2, `m${i}-${j}`.padEnd(300, '.'))))));
    const files = readdirSync(join(dataDir, 'commitlog')).sort();
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]).toBe('00000000000000000000');
    expect(files[1]).toBe('00000000000000004096');
    expect(engine.stats().segmentCount).toBe(files.length);
    for (const result of results) {
      const start = result.commitLogOffset - (result.commitLogOffset % 4096);
      const header = Buffer.alloc(8);
      const fd = openSync(join(dataDir, 'commitlog', String(start).padStart(20, '0')), 'r');
      readSync(fd, header, 0, 8, result.commitLogOffset - start);
      closeSync(fd);
      expect(header.readUInt32LE(0)).toBe(result.storeSize);
      expect(header.readUInt32LE(4)).toBe(RecordLayout.MESSAGE_MAGIC);
      expect(Math.floor((result.commitLogOffset + result.storeSize - 1) / 4096)).toBe(start / 4096);
    }
    const read = await engine.read({ topic: 'roll', queueId: 0, offset: 0, maxCount: 100, maxBytes: 1 << 20 });
    const expected = Array.from({ length: 10 }, (_, i) => [0, 2, 4].map((j) => `m${i}-${j}`)).flat();
    expect(read.messages.map((m) => m.body.toString().split('.')[0])).toEqual(expected);
  });

  it('serves a tailing read from memory, equal to the same read from disk after a reopen', async () => {
    let logReads = 0;
    const counting: FileOpener = async (path, flags) => {
      const handle = await openFile(path, flags);
      const read = handle.read.bind(handle) as (...args: unknown[]) => ReturnType<FileHandle['read']>;
      return Object.assign(handle, { read: (...args: unknown[]) => (logReads++, read(...args)) }) as FileHandle;
    };
    const engine = await openEngine({}, counting);
    const sent = [];
    for (let i = 0; i < 50; i++) sent.push(...(await engine.append([msg('hot', i % 2, `h${i}`.repeat(40), [`key${i}`]), msg('hot', 2, `x${i}`)])));
    logReads = 0;
    const request = { topic: 'hot', queueId: 1, offset: 0, maxCount: 100, maxBytes: 1 << 20 };
    const fromMemory = await engine.read(request);
    const byId = await engine.getByMsgId(sent[6]!.msgId);
    expect(logReads).toBe(0);
    expect(fromMemory.messages).toHaveLength(25);
    expect(byId?.body.toString()).toBe('h3'.repeat(40));
    await engine.close();
    engines.splice(engines.indexOf(engine), 1);

    const reopened = await openEngine({}, counting);
    logReads = 0;
    const fromDisk = await reopened.read(request);
    expect(logReads).toBeGreaterThan(0);
    expect(fromDisk).toEqual(fromMemory);
    expect(await reopened.getByMsgId(sent[6]!.msgId)).toEqual(byId);
  });

  it('refuses a record larger than a segment with MESSAGE_TOO_LARGE', async () => {
    const engine = await openEngine({ segmentBytes: 4096 });
    const error = await engine.append([msg('big', 0, Buffer.alloc(5000))]).catch((e: unknown) => e);
    expect(TesseraError.is(error, ErrorCode.MESSAGE_TOO_LARGE)).toBe(true);
  });

  it('SYNC: an append resolves only once its record is fsynced', async () => {
    const engine = await openEngine();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        engine.append([msg('sync', i % 4, `s${i}`)]).then((results) => ({ results, flushed: engine.stats().flushedOffset })),
      ),
    );
    for (const { results, flushed } of outcomes) {
      const last = results[results.length - 1]!;
      expect(flushed).toBeGreaterThanOrEqual(last.commitLogOffset + last.storeSize);
    }
  });

  it('SYNC: concurrent appends share fsyncs (group commit)', async () => {
    let datasyncs = 0;
    const countingOpener: FileOpener = async (path, flags) => {
      const handle = await openFile(path, flags);
      const datasync = handle.datasync.bind(handle);
      handle.datasync = () => {
        datasyncs++;
        return datasync();
      };
      return handle;
    };
    const engine = await openEngine({}, countingOpener);
    datasyncs = 0;
    const appends = 200;
    await Promise.all(Array.from({ length: appends }, (_, i) => engine.append([msg('group', i % 8, `g${i}`)])));
    expect(datasyncs).toBeGreaterThan(0);
    expect(datasyncs).toBeLessThanOrEqual(appends / 20);
  });

  it('ASYNC: appends resolve after the write; flush() makes them durable', async () => {
    const engine = await openEngine({ flushMode: 'ASYNC', asyncFlushIntervalMs: 60_000 });
    const [result] = await engine.append([msg('async', 0, 'a')]);
    expect(engine.stats().writtenOffset).toBeGreaterThanOrEqual(result!.commitLogOffset + result!.storeSize);
    expect(engine.stats().flushedOffset).toBeLessThan(engine.stats().writtenOffset);
    await engine.flush();
    expect(engine.stats().flushedOffset).toBe(engine.stats().writtenOffset);
  });

  it('ASYNC: fsyncs on its interval', async () => {
    const engine = await openEngine({ flushMode: 'ASYNC', asyncFlushIntervalMs: 10 });
    await engine.append([msg('async', 0, 'a')]);
    for (let i = 0; i < 200 && engine.stats().flushedOffset < engine.stats().writtenOffset; i++) await new Promise((r) => setTimeout(r, 5));
    expect(engine.stats().flushedOffset).toBe(engine.stats().writtenOffset);
  });

  it('on a full disk rejects with STORE_FULL, cuts the partial write, keeps serving and writes again later', async () => {
    let diskFull = false;
    const fillingOpener: FileOpener = async (path, flags) => {
      const handle: FileHandle = await openFile(path, flags);
      const writev = handle.writev.bind(handle);
      handle.writev = (async (buffers: Buffer[], position?: number) => {
        if (!diskFull) return writev(buffers, position);
        // A real partial write, then the error the kernel gives when the disk fills.
        await handle.write(buffers[0]!, 0, Math.ceil(buffers[0]!.length / 2), position);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }) as FileHandle['writev'];
      return handle;
    };
    const engine = await openEngine({ segmentBytes: 1 << 20 }, fillingOpener);
    const before = await engine.append([msg('full', 0, 'kept-0', ['k']), msg('full', 0, 'kept-1')]);
    const writtenBefore = engine.stats().writtenOffset;

    diskFull = true;
    const failures = await Promise.all([
      engine.append([msg('full', 0, 'lost-0', ['k'])]).catch((e: unknown) => e),
      engine.append([msg('full', 1, 'lost-1')]).catch((e: unknown) => e),
    ]);
    for (const failure of failures) {
      expect(TesseraError.is(failure, ErrorCode.STORE_FULL)).toBe(true);
      expect((failure as Error).message).toMatch(/disk is full/);
    }
    expect(statSync(join(dataDir, 'commitlog', '00000000000000000000')).size).toBe(writtenBefore);
    expect(engine.queueRange('full', 0)).toEqual({ minOffset: 0, maxOffset: 2 });
    expect((await engine.getByMsgId(before[1]!.msgId))?.body.toString()).toBe('kept-1');

    diskFull = false;
    const after = await engine.append([msg('full', 0, 'after', ['k'])]);
    expect(after[0]!.queueOffset).toBe(2);
    expect(after[0]!.commitLogOffset).toBe(writtenBefore);
    const read = await engine.read({ topic: 'full', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
    expect(read.messages.map((m) => m.body.toString())).toEqual(['kept-0', 'kept-1', 'after']);
    const byKey = await engine.queryByKey({ topic: 'full', key: 'k', maxCount: 10 });
    expect(byKey.map((m) => m.body.toString()).sort()).toEqual(['after', 'kept-0']);
    await engine.close();

    const reopened = await openEngine({ segmentBytes: 1 << 20 });
    expect(reopened.queueRange('full', 0)).toEqual({ minOffset: 0, maxOffset: 3 });
    expect(reopened.queueIds('full')).toEqual([0]);
  });
  it("readableAfter 'flush': when an fsync fails with batches in flight, rejects them all with STORE_UNAVAILABLE and stays consistent", async () => {
    let failNextSync = false;
    const flakyOpener: FileOpener = async (path, flags) => {
      const handle = await openFile(path, flags);
      const datasync = handle.datasync.bind(handle);
      handle.datasync = async () => {
        if (failNextSync) {
          failNextSync = false;
          throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        }
        return datasync();
      };
      return handle;
    };
    const engine = await openEngine({ segmentBytes: 1 << 22, readableAfter: 'flush' }, flakyOpener);
    await engine.append([msg('flaky', 0, 'before')]);
    const big = Buffer.alloc(300 * 1024, 3);
    failNextSync = true;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => engine.append([msg('flaky', i % 2, big)]).then(() => 'ok', (e: unknown) => e)),
    );
    const failed = outcomes.filter((outcome) => outcome !== 'ok');
    expect(failed.length).toBeGreaterThan(0);
    for (const failure of failed) expect(TesseraError.is(failure, ErrorCode.STORE_UNAVAILABLE)).toBe(true);
    const succeeded = outcomes.length - failed.length;
    const [after] = await engine.append([msg('flaky', 0, 'after')]);
    const total = engine.queueRange('flaky', 0).maxOffset + engine.queueRange('flaky', 1).maxOffset;
    expect(total).toBe(1 + succeeded + 1);
    expect(after!.queueOffset).toBe(engine.queueRange('flaky', 0).maxOffset - 1);
    await engine.close();
    const reopened = await openEngine({ segmentBytes: 1 << 22 });
    expect(reopened.queueRange('flaky', 0).maxOffset + reopened.queueRange('flaky', 1).maxOffset).toBe(total);
    const read = await reopened.read({ topic: 'flaky', queueId: 0, offset: 0, maxCount: 100, maxBytes: 1 << 24 });
    expect(read.messages[0]!.body.toString()).toBe('before');
    expect(read.messages[read.messages.length - 1]!.body.toString()).toBe('after');
  });
});
