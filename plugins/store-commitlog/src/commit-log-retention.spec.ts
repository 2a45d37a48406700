import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppendMessage, StorageEngine } from '@tessera/kernel';
import type { CommitLogOptions } from './commit-log-options';
import { createTestEngine } from './create-test-engine.spec-helper';

const SEGMENT = 4096;
const OPTIONS: Partial<CommitLogOptions> = { segmentBytes: SEGMENT, consumeQueueEntriesPerFile: 16, indexEntriesPerFile: 16, indexSlotCount: 16 };

function msg(i: number): AppendMessage {
  return { topic: 'ret', queueId: 0, body: Buffer.from(`m${i}`.padEnd(400, '.')), keys: [`k${i}`], bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
}

describe('CommitLogStorageEngine retention', () => {
  let dataDir: string;
  let engine: StorageEngine;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-commitlog-retention-'));
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function fill(options: Partial<CommitLogOptions>, count: number): Promise<void> {
    engine = createTestEngine(dataDir, { ...OPTIONS, ...options });
    await engine.open();
    for (let i = 0; i < count; i += 10) await engine.append(Array.from({ length: 10 }, (_, j) => msg(i + j)));
  }

  it('deletes the oldest segments while the log exceeds retentionBytes, and moves queue minimums up', async () => {
    await fill({ retentionBytes: 3 * SEGMENT }, 200);
    const segmentsBefore = engine.stats().segmentCount;
    expect(segmentsBefore).toBeGreaterThan(10);
    const report = await engine.enforceRetention();
    expect(report.deletedSegments).toBe(segmentsBefore - 3);
    expect(report.deletedBytes).toBeGreaterThan((segmentsBefore - 4) * (SEGMENT - 500));
    expect(engine.stats().logBytes).toBeLessThanOrEqual(3 * SEGMENT);
    const { minOffset, maxOffset } = engine.queueRange('ret', 0);
    expect(minOffset).toBeGreaterThan(150);
    expect(maxOffset).toBe(200);
    const tooSmall = await engine.read({ topic: 'ret', queueId: 0, offset: 0, maxCount: 5, maxBytes: 1 << 20 });
    expect(tooSmall).toMatchObject({ status: 'OFFSET_TOO_SMALL', nextOffset: minOffset, messages: [] });
    const first = await engine.read({ topic: 'ret', queueId: 0, offset: minOffset, maxCount: 1, maxBytes: 1 << 20 });
    expect(first.messages[0]!.body.toString().split('.')[0]).toBe(`m${minOffset}`);
    const queueFiles = readdirSync(join(dataDir, 'consumequeue', 'ret', '0')).map(Number);
    expect(Math.min(...queueFiles)).toBeGreaterThan(minOffset - 16);
    expect(await engine.queryByKey({ topic: 'ret', key: 'k0', maxCount: 1 })).toEqual([]);
    expect(await engine.queryByKey({ topic: 'ret', key: 'k199', maxCount: 1 })).toHaveLength(1);
  });

  it('deletes segments older than retentionHours, never the active one; survives a reopen', async () => {
    await fill({ retentionHours: 1 }, 60);
    expect((await engine.enforceRetention(Date.now())).deletedSegments).toBe(0);
    const report = await engine.enforceRetention(Date.now() + 2 * 3_600_000);
    expect(engine.stats().segmentCount).toBe(1);
    expect(report.deletedSegments).toBeGreaterThan(3);
    const range = engine.queueRange('ret', 0);
    expect(range.maxOffset).toBe(60);
    await engine.close();
    engine = createTestEngine(dataDir, OPTIONS);
    await engine.open();
    expect(engine.queueRange('ret', 0)).toEqual(range);
    const [next] = await engine.append([msg(60)]);
    expect(next!.queueOffset).toBe(60);
  });
});
