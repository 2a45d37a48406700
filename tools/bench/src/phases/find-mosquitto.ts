import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const INSTALL_SCRIPT = resolve(__dirname, '..', '..', '..', 'scripts', 'install-bench-deps.sh');
const INSTALL_TIMEOUT_MS = 300_000;
/** Debian puts the broker in /usr/sbin, which is not on a non-root user's PATH. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin'];

/**
 * The path of the `mosquitto` executable. When it is missing, runs tools/scripts/install-bench-deps.sh
 * (Debian's `mosquitto` package; needs root or sudo) once, and fails with how to install it by hand
 * if that did not help.
 */
export function findMosquitto(log: (line: string) => void): string {
  const found = locate();
  if (found) return found;
  log(`mosquitto not found: running ${INSTALL_SCRIPT}`);
  try {
    execFileSync('bash', [INSTALL_SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'], timeout: INSTALL_TIMEOUT_MS });
  } catch (error) {
    log(`the install script failed: ${(error as Error).message}`);
  }
  const installed = locate();
  if (installed) return installed;
  throw new Error(
    'the mqtt bench compares against Mosquitto, which is not installed and could not be installed here; ' +
      `install Debian's package as root (\`apt-get install mosquitto\`, or \`sudo bash ${INSTALL_SCRIPT}\`) and run the bench again`,
  );
}

function locate(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, 'mosquitto');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
