import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyIndex } from './key-index';

describe('KeyIndex', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-key-index-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function indexWith(entries: Array<[string, number, number]>, slots = 4, perFile = 8): Promise<KeyIndex> {
    const index = new KeyIndex(dir, slots, perFile);
    await index.open(Number.POSITIVE_INFINITY);
    for (const [key, position, timestamp] of entries) index.stage('t', key, position, timestamp);
    const staged = index.detachStaged();
    if (staged) await index.write(staged);
    return index;
  }

  async function collect(index: KeyIndex, key: string, begin = 0, end = Number.MAX_SAFE_INTEGER): Promise<number[]> {
    const positions: number[] = [];
    for await (const position of index.candidates('t', key, begin, end)) positions.push(position);
    return positions;
  }

  const entries = Array.from({ length: 30 }, (_, i): [string, number, number] => [`k${i % 5}`, 100 * i, 1000 + i]);

  it('finds every position of a key, newest first, across rotated files and shared slots', async () => {
    const index = await indexWith(entries);
    expect(readdirSync(dir)).toHaveLength(4);
    expect(await collect(index, 'k2')).toEqual([2700, 2200, 1700, 1200, 700, 200]);
    expect(await collect(index, 'k2', 1012, 1022)).toEqual([2200, 1700, 1200]);
    expect(await collect(index, 'absent')).toEqual([]);
    expect(index.lastIndexedPosition).toBe(2900);
    await index.close();
  });

  it('rebuilds the active slot table at open and drops entries past a log position', async () => {
    const index = await indexWith(entries);
    await index.close();
    const reopened = new KeyIndex(dir, 4, 8);
    await reopened.open(2000);
    expect(reopened.lastIndexedPosition).toBe(1900);
    expect(await collect(reopened, 'k2')).toEqual([1700, 1200, 700, 200]);
    expect(readdirSync(dir)).toHaveLength(3);
    reopened.stage('t', 'k2', 2000, 2000);
    await reopened.write(reopened.detachStaged()!);
    expect(await collect(reopened, 'k2')).toEqual([2000, 1700, 1200, 700, 200]);
    await reopened.close();
  });

  it('deletes files wholly below the log start, never the newest', async () => {
    const index = await indexWith(entries);
    expect(await index.trimBelow(1700)).toBe(2);
    expect(await collect(index, 'k2')).toEqual([2700, 2200, 1700]);
    await index.close();
  });
});
