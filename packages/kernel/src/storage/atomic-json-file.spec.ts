import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicJsonFile } from './atomic-json-file';

describe('AtomicJsonFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-json-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads undefined before the first write, then the last value written', async () => {
    const file = new AtomicJsonFile<{ n: number }>(join(dir, 'nested', 'doc.json'));
    expect(file.read()).toBeUndefined();
    const first = file.write({ n: 1 });
    await file.write({ n: 2 });
    await first;
    expect(file.read()).toEqual({ n: 2 });
    expect(existsSync(join(dir, 'nested', 'doc.json.tmp'))).toBe(false);
  });
});
