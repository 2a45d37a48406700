import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureDiskCeiling } from './measure-disk-ceiling';

describe('measureDiskCeiling', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes whole synced chunks for the duration, reports consistent rates and leaves no file', () => {
    const ceiling = measureDiskCeiling(dir, 100);
    expect(ceiling.bytesWritten).toBeGreaterThanOrEqual(ceiling.chunkBytes);
    expect(ceiling.bytesWritten % ceiling.chunkBytes).toBe(0);
    expect(ceiling.seconds).toBeGreaterThanOrEqual(0.1);
    expect(ceiling.mbPerSec).toBeCloseTo(ceiling.bytesWritten / 1e6 / ceiling.seconds, 6);
    expect(ceiling.equivalentMsgsPerSec).toBeCloseTo(ceiling.bytesWritten / 1024 / ceiling.seconds, 6);
    expect(readdirSync(dir)).toEqual([]);
  });
});
