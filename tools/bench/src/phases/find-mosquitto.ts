import { delimiter } from 'node:path';
import { findExecutableIn, findOrInstallBenchDep } from './find-or-install-bench-dep';

/** Debian puts the broker in /usr/sbin, which is not on a non-root user's PATH. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin'];

/** The path of the `mosquitto` executable, installing Debian's `mosquitto` package when it is missing. */
export function findMosquitto(log: (line: string) => void): string {
  return findOrInstallBenchDep(
    {
      locate: () => findExecutableIn([...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS], 'mosquitto'),
      debianPackage: 'mosquitto',
      neededFor: 'the mqtt bench compares against Mosquitto',
    },
    log,
  );
}
