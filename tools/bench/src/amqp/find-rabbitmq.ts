import { delimiter } from 'node:path';
import { findExecutableIn, findOrInstallBenchDep } from '../phases/find-or-install-bench-dep';

/** Where Debian's rabbitmq-server keeps the real scripts (/usr/sbin has wrappers that `su rabbitmq`). */
const RABBITMQ_BIN_DIR = '/usr/lib/rabbitmq/bin';

export interface RabbitMqInstallation {
  /** Holds rabbitmq-server, rabbitmqctl and rabbitmq-plugins. */
  binDir: string;
  epmd: string;
}

/** Debian's RabbitMQ scripts and Erlang's epmd, installing the `rabbitmq-server` package when they are missing. */
export function findRabbitMq(log: (line: string) => void): RabbitMqInstallation {
  const locateEpmd = () => findExecutableIn([...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'], 'epmd');
  findOrInstallBenchDep(
    {
      locate: () => (locateEpmd() ? findExecutableIn([RABBITMQ_BIN_DIR], 'rabbitmq-server') : undefined),
      debianPackage: 'rabbitmq-server',
      neededFor: 'the amqp bench compares against RabbitMQ',
    },
    log,
  );
  return { binDir: RABBITMQ_BIN_DIR, epmd: locateEpmd()! };
}
