import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const TESSERA_BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'tessera.js');
const BUILT_CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin', 'tessera.js');

/** Tests and benchmarks run the built broker: fail with the fix rather than a confusing spawn error. */
export function requireBuiltCli(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`${BUILT_CLI} is missing: build first (cd ${REPO_ROOT} && npx tsc -b tsconfig.build.json)`);
  }
}
