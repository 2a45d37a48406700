import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../logging/logger';
import { PeriodicCheckpoint } from './periodic-checkpoint';

interface Saved {
  version: number;
  offset?: number;
  note: string;
}

describe('PeriodicCheckpoint', () => {
  let dir: string;
  let file: string;
  const logger = createLogger({ level: 'silent' });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-checkpoint-'));
    file = join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const saved = (): Saved => JSON.parse(readFileSync(file, 'utf8')) as Saved;

  it('writes when the progress moved since the last checkpoint (loaded or written), and not otherwise', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, offset: 5, note: 'loaded' }));
    let offset = 5;
    const captures: number[] = [];
    const checkpoint = new PeriodicCheckpoint<Saved>({
      file,
      what: 'test',
      logger,
      progress: () => offset,
      progressOf: (loaded) => loaded.offset!,
      capture: (progress) => (captures.push(progress!), { version: 1, offset: progress, note: 'written' }),
    });
    expect(checkpoint.load()).toEqual({ version: 1, offset: 5, note: 'loaded' });
    checkpoint.start(60_000);
    await checkpoint.stop();
    expect(captures).toEqual([]);
    offset = 9;
    checkpoint.start(60_000);
    await checkpoint.stop();
    expect(saved()).toEqual({ version: 1, offset: 9, note: 'written' });
    await checkpoint.stop();
    expect(captures).toEqual([9]);
  });

  it('writes after markChanged when there is no progress to follow, with an async capture, and retries a failed write', async () => {
    let fail = true;
    const checkpoint = new PeriodicCheckpoint<Saved>({
      file,
      what: 'test',
      logger,
      capture: async () => {
        if (fail) throw new Error('disk full');
        return { version: 1, note: 'marked' };
      },
    });
    checkpoint.start(60_000);
    await checkpoint.stop();
    expect(checkpoint.load()).toBeUndefined();
    checkpoint.markChanged();
    await expect(checkpoint.stop()).rejects.toThrow('disk full');
    fail = false;
    await checkpoint.stop();
    expect(saved()).toEqual({ version: 1, note: 'marked' });
  });

  it('refuses a checkpoint of another version, naming the file', () => {
    writeFileSync(file, JSON.stringify({ version: 2, note: 'future' }));
    const checkpoint = new PeriodicCheckpoint<Saved>({ file, what: 'test', logger, capture: () => ({ version: 1, note: '' }) });
    expect(() => checkpoint.load()).toThrow('state.json has unknown version 2');
  });
});
