/** The broker could not start (a port in use, an unreadable data dir); the message says why. */
export class BrokerStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BrokerStartError';
  }

  static from(error: unknown): BrokerStartError {
    const errno = findErrno(error);
    if (errno?.code === 'EADDRINUSE') {
      const where = errno.address !== undefined ? `${errno.address}:${errno.port}` : 'the configured port';
      return new BrokerStartError(`cannot listen on ${where}: the address is already in use (pick another with --port)`, { cause: error });
    }
    if (errno?.code === 'EACCES' || errno?.code === 'EPERM') {
      return new BrokerStartError(`permission denied: ${errno.message}`, { cause: error });
    }
    return new BrokerStartError(`the broker failed to start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

interface ListenErrno extends NodeJS.ErrnoException {
  address?: string;
  port?: number;
}

/** Adapters may wrap the system error; look through `cause` for it. */
function findErrno(error: unknown): ListenErrno | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (typeof (current as ListenErrno).code === 'string') return current as ListenErrno;
  }
  return undefined;
}
