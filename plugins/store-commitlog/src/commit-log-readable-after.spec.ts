import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, TesseraError, type AppendMessage, type StorageEngine } from '@tessera/kernel';
import type { CommitLogOptions } from './commit-log-options';
import { createTestEngine } from './create-test-engine.spec-helper';
import { openFile, type FileOpener } from './file-opener';

function msg(queueId: number, body: string | Buffer): AppendMessage {
  return { topic: 'seen', queueId, body: Buffer.isBuffer(body) ? body : Buffer.from(body), bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

/** Every fdatasync of the log goes through `datasync`, which the test steers. */
function steeredOpener(datasync: (real: () => Promise<void>) => Promise<void>): FileOpener {
  return async (path, flags) => {
    const handle = await openFile(path, flags);
    if (!path.includes('commitlog')) return handle;
    const real = handle.datasync.bind(handle);
    handle.datasync = () => datasync(real);
    return handle;
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

async function bodies(engine: StorageEngine, queueId: number): Promise<string[]> {
  const read = await engine.read({ topic: 'seen', queueId, offset: 0, maxCount: 1000, maxBytes: 1 << 26 });
  return read.messages.map((m) => m.body.toString().replace(/\x07+$/, ''));
}

describe('CommitLogStorageEngine readableAfter (SYNC)', () => {
  let dataDir: string;
  const engines: StorageEngine[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-readable-'));
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function openEngine(options: Partial<CommitLogOptions>, opener?: FileOpener): Promise<StorageEngine> {
    const engine = createTestEngine(dataDir, { segmentBytes: 1 << 22, ...options }, opener);
    engines.push(engine);
    await engine.open();
    return engine;
  }

  function holdingSyncs(): { opener: FileOpener; held: () => number; release: () => void } {
    let holding = true;
    const waiting: Array<() => void> = [];
    const opener = steeredOpener(async (real) => {
      if (holding) await new Promise<void>((resolve) => waiting.push(resolve));
      return real();
    });
    return { opener, held: () => waiting.length, release: () => ((holding = false), waiting.splice(0).forEach((go) => go())) };
  }

  it("'write' (the default): serves a record while its fdatasync runs and acks it only after", async () => {
    const syncs = holdingSyncs();
    const engine = await openEngine({}, syncs.opener);
    let readable = 0;
    let acked = false;
    const append = engine.append([msg(0, 'early-0'), msg(0, 'early-1')], () => readable++).then((results) => ((acked = true), results));
    await until(() => syncs.held() > 0, 'the fdatasync to start');
    expect(readable).toBe(1);
    expect(engine.queueRange('seen', 0).maxOffset).toBe(2);
    expect(await bodies(engine, 0)).toEqual(['early-0', 'early-1']);
    expect(acked).toBe(false);
    expect(engine.stats().flushedOffset).toBeLessThan(engine.stats().writtenOffset);
    syncs.release();
    const results = await append;
    expect(results.map((r) => r.queueOffset)).toEqual([0, 1]);
    expect(engine.stats().flushedOffset).toBe(engine.stats().writtenOffset);
    expect(readable).toBe(1);
  });

  it("'write': a slow fdatasync holds back no later batch's readability; one fdatasync then acks all written meanwhile", async () => {
    const syncs = holdingSyncs();
    const engine = await openEngine({}, syncs.opener);
    let readable = 0;
    const appends = [engine.append([msg(0, 'first')], () => readable++)];
    await until(() => syncs.held() === 1, 'the first fdatasync to start');
    for (let i = 0; i < 5; i++) {
      appends.push(engine.append([msg(0, `during-${i}`)], () => readable++));
      await until(() => readable === i + 2, `batch ${i + 1} to be readable`);
    }
    expect(syncs.held()).toBe(1);
    expect(await bodies(engine, 0)).toEqual(['first', 'during-0', 'during-1', 'during-2', 'during-3', 'during-4']);
    syncs.release();
    const results = await Promise.all(appends);
    expect(results.map(([result]) => result!.queueOffset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(engine.stats().flushedOffset).toBe(engine.stats().writtenOffset);
  });

  it("'flush': serves nothing until the fdatasync is done", async () => {
    const syncs = holdingSyncs();
    const engine = await openEngine({ readableAfter: 'flush' }, syncs.opener);
    let readable = 0;
    const append = engine.append([msg(0, 'late')], () => readable++);
    await until(() => syncs.held() > 0, 'the fdatasync to start');
    expect(readable).toBe(0);
    expect(engine.queueRange('seen', 0).maxOffset).toBe(0);
    expect(await bodies(engine, 0)).toEqual([]);
    syncs.release();
    await append;
    expect(readable).toBe(1);
    expect(await bodies(engine, 0)).toEqual(['late']);
  });

  it("'write': a failed fdatasync writes the readable records again and fsyncs them; no append fails, nothing is cut", async () => {
    let failures = 1;
    let syncs = 0;
    const opener = steeredOpener(async (real) => {
      syncs++;
      if (failures > 0 && syncs > 1) {
        failures--;
        throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      }
      return real();
    });
    const engine = await openEngine({}, opener);
    await engine.append([msg(0, 'before')]);
    const big = (i: number) => Buffer.concat([Buffer.from(`big-${String(i).padStart(2, '0')}`), Buffer.alloc(300 * 1024, 7)]);
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => engine.append([msg(i % 2, big(i))]).then(() => 'ok', (e: unknown) => e)));
    expect(failures).toBe(0);
    expect(outcomes).toEqual(Array(12).fill('ok'));
    await engine.append([msg(0, 'after')]);
    const expected0 = ['before', ...Array.from({ length: 6 }, (_, i) => `big-${String(i * 2).padStart(2, '0')}`), 'after'];
    expect(await bodies(engine, 0)).toEqual(expected0);
    await engine.close();
    const reopened = await openEngine({});
    expect(await bodies(reopened, 0)).toEqual(expected0);
    expect(await bodies(reopened, 1)).toHaveLength(6);
  });

  it("'write': when the fdatasync fails again after the rewrite, refuses appends until reopened, keeps serving reads", async () => {
    let failing = false;
    const opener = steeredOpener(async (real) => {
      if (failing) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      return real();
    });
    const engine = await openEngine({}, opener);
    await engine.append([msg(0, 'durable')]);
    failing = true;
    const refused = await engine.append([msg(0, 'in-doubt')]).catch((e: unknown) => e);
    expect(TesseraError.is(refused, ErrorCode.STORE_UNAVAILABLE)).toBe(true);
    expect((refused as Error).message).toMatch(/again after rewriting them: appends are refused until the broker restarts/);
    failing = false;
    const later = await engine.append([msg(0, 'refused')]).catch((e: unknown) => e);
    expect(later).toBe(refused);
    expect(await bodies(engine, 0)).toEqual(['durable', 'in-doubt']);
    await engine.close().catch(() => undefined);
    engines.splice(0);

    const reopened = await openEngine({});
    expect(await bodies(reopened, 0)).toEqual(['durable', 'in-doubt']);
    const [next] = await reopened.append([msg(0, 'next')]);
    expect(next!.queueOffset).toBe(2);
  });
});
