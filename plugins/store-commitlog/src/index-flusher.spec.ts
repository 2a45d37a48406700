import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppendMessage, AppendResult, StorageEngine } from '@tessera/kernel';
import type { Checkpoint } from './checkpoint-file';
import type { CommitLogOptions } from './commit-log-options';
import type { TailMemory } from './consume-queue';
import { ConsumeQueueEntry } from './consume-queue-entry';
import { createTestEngine } from './create-test-engine.spec-helper';

function msg(queueId: number, body: string, keys?: string[]): AppendMessage {
  return { topic: 'idx', queueId, body: Buffer.from(body), keys, bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

/** Entries the queue's files hold (one file per queue at the default entries per file). */
function entriesOnDisk(dataDir: string, queueId: number): number {
  const dir = join(dataDir, 'consumequeue', 'idx', String(queueId));
  if (!existsSync(dir)) return 0;
  const files = readdirSync(dir).sort();
  if (files.length === 0) return 0;
  const last = files[files.length - 1]!;
  return Number(last) + statSync(join(dir, last)).size / ConsumeQueueEntry.BYTES;
}

describe('IndexFlusher (consume-queue and key-index entries written off the append path)', () => {
  const dirs: string[] = [];
  const engines: StorageEngine[] = [];

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-index-flusher-'));
    dirs.push(dir);
    return dir;
  }

  async function openEngine(dataDir: string, options: Partial<CommitLogOptions>): Promise<StorageEngine> {
    const engine = createTestEngine(dataDir, options);
    engines.push(engine);
    await engine.open();
    return engine;
  }

  async function bodies(engine: StorageEngine, queueId: number): Promise<string[]> {
    const read = await engine.read({ topic: 'idx', queueId, offset: 0, maxCount: 1000, maxBytes: 1 << 24 });
    return read.messages.map((m) => m.body.toString());
  }

  /** What a process kill leaves: the files as they are now, with the engine still open. */
  function crashCopy(dataDir: string): string {
    const copy = tempDir();
    cpSync(dataDir, copy, { recursive: true });
    return copy;
  }

  it('acks appends before their queue entries reach the files, and a crash-style reopen rebuilds them from the log', async () => {
    const dataDir = tempDir();
    const engine = await openEngine(dataDir, { indexFlushIntervalMs: 60_000, checkpointIntervalMs: 60_000 });
    for (let i = 0; i < 40; i++) await engine.append([msg(i % 2, `m${i}`, [`k${i % 4}`])]);
    expect(entriesOnDisk(dataDir, 0)).toBe(0);
    expect(await bodies(engine, 0)).toHaveLength(20);

    const reopened = await openEngine(crashCopy(dataDir), {});
    for (const queueId of [0, 1]) {
      expect(reopened.queueRange('idx', queueId)).toEqual(engine.queueRange('idx', queueId));
      expect(await bodies(reopened, queueId)).toEqual(await bodies(engine, queueId));
    }
    const byKey = await reopened.queryByKey({ topic: 'idx', key: 'k3', maxCount: 100 });
    expect(byKey.map((m) => m.body.toString()).sort()).toEqual(['m11', 'm15', 'm19', 'm23', 'm27', 'm3', 'm31', 'm35', 'm39', 'm7']);
    const [next] = await reopened.append([msg(1, 'after')]);
    expect(next!.queueOffset).toBe(20);
  });

  it('never checkpoints queue lengths the files do not hold; a reopen after a checkpoint and more appends loses nothing', async () => {
    const dataDir = tempDir();
    const engine = await openEngine(dataDir, { indexFlushIntervalMs: 60_000, checkpointIntervalMs: 30 });
    for (let i = 0; i < 30; i++) await engine.append([msg(i % 2, `a${i}`)]);
    for (let round = 0; round < 100 && entriesOnDisk(dataDir, 1) < 15; round++) await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 30; i < 50; i++) await engine.append([msg(i % 2, `a${i}`)]);
    const copy = crashCopy(dataDir);
    const checkpoint = JSON.parse(readFileSync(join(copy, 'checkpoint'), 'utf8')) as Checkpoint;
    expect(checkpoint.queues['idx/0']).toBeGreaterThanOrEqual(15);
    for (const queueId of [0, 1]) expect(checkpoint.queues[`idx/${queueId}`]).toBeLessThanOrEqual(entriesOnDisk(copy, queueId));

    const reopened = await openEngine(copy, {});
    for (const queueId of [0, 1]) {
      expect(await bodies(reopened, queueId)).toEqual(Array.from({ length: 25 }, (_, i) => `a${i * 2 + queueId}`));
    }
  });

  it('holds appends back while the in-memory tails are over budget, keeping their order', async () => {
    const dataDir = tempDir();
    const budget = 65536;
    const engine = await openEngine(dataDir, { indexFlushIntervalMs: 60_000, consumeQueueTailBytes: budget });
    const memory = (engine as unknown as { tailMemory: TailMemory }).tailMemory;
    let mostUnwritten = 0;
    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 500 }, (_, i) => msg(0, `b${b}-${i}`)));
    const appends = batches.map((batch) =>
      engine.append(batch).then((results: AppendResult[]) => {
        mostUnwritten = Math.max(mostUnwritten, memory.unwritten);
        return results;
      }),
    );
    const offsets = (await Promise.all(appends)).flat().map((result) => result.queueOffset);
    expect(offsets).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(mostUnwritten * ConsumeQueueEntry.BYTES).toBeLessThanOrEqual(budget + 500 * ConsumeQueueEntry.BYTES);
    expect(entriesOnDisk(dataDir, 0)).toBeGreaterThan(5000);
    const read = await engine.read({ topic: 'idx', queueId: 0, offset: 9990, maxCount: 10, maxBytes: 1 << 20 });
    expect(read.messages.map((m) => m.body.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `b19-${490 + i}`));
  });
});
