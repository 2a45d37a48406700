import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';

export const INSTALL_BENCH_DEPS_SCRIPT = resolve(__dirname, '..', '..', '..', 'scripts', 'install-bench-deps.sh');
const INSTALL_TIMEOUT_MS = 300_000;

export interface BenchDependency {
  /** Says where the executable is, or undefined when it is not installed. */
  locate: () => string | undefined;
  /** Debian package that provides it (installed by tools/scripts/install-bench-deps.sh). */
  debianPackage: string;
  /** Why the bench needs it, for the error message: e.g. "the mqtt bench compares against Mosquitto". */
  neededFor: string;
}

/**
 * The path `locate` finds. When it finds nothing, runs tools/scripts/install-bench-deps.sh (Debian
 * packages; needs root or sudo) once, and fails with how to install the package by hand if that
 * did not help.
 */
export function findOrInstallBenchDep(dependency: BenchDependency, log: (line: string) => void): string {
  const found = dependency.locate();
  if (found) return found;
  log(`${dependency.debianPackage} not found: running ${INSTALL_BENCH_DEPS_SCRIPT}`);
  try {
    execFileSync('bash', [INSTALL_BENCH_DEPS_SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'], timeout: INSTALL_TIMEOUT_MS });
  } catch (error) {
    log(`the install script failed: ${(error as Error).message}`);
  }
  const installed = dependency.locate();
  if (installed) return installed;
  throw new Error(
    `${dependency.neededFor}, which is not installed and could not be installed here; install Debian's package as root ` +
      `(\`apt-get install ${dependency.debianPackage}\`, or \`sudo bash ${INSTALL_BENCH_DEPS_SCRIPT}\`) and run the bench again`,
  );
}

/** The first of `dirs` holding an executable `name`. */
export function findExecutableIn(dirs: readonly string[], name: string): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
