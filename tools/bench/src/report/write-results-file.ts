import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `<dir>/<suite>-<timestamp>.json` and returns its path. */
export function writeResultsFile(dir: string, results: { suite: string; startedAt: string }): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.suite}-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
