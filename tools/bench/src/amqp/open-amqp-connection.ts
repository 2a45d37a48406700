import type { EventEmitter } from 'node:events';
import type { Connection, Container } from 'rhea';
import type { AmqpEndpoint } from './amqp-load-protocol';

const OPEN_TIMEOUT_MS = 10_000;

/** A connection to 127.0.0.1 without reconnects, resolved once the broker's open arrived. */
export async function openAmqpConnection(container: Container, endpoint: AmqpEndpoint): Promise<Connection> {
  const connection = container.connect({
    host: '127.0.0.1',
    port: endpoint.port,
    reconnect: false,
    username: endpoint.username,
    password: endpoint.password,
  });
  await opened(connection, 'connection_open', ['connection_error', 'connection_close', 'disconnected'], `connection to 127.0.0.1:${endpoint.port}`);
  return connection;
}

/** Resolves on `event`; rejects on any of `failures` (with the endpoint's error) or after 10 s. */
export function opened(emitter: EventEmitter, event: string, failures: readonly string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      clearTimeout(timer);
      emitter.off(event, onOpen);
      for (const failure of failures) emitter.off(failure, onFailure);
    };
    const onOpen = () => (cleanUp(), resolve());
    const onFailure = (context: { error?: unknown; connection?: { error?: unknown }; sender?: { error?: unknown }; receiver?: { error?: unknown } }) => {
      cleanUp();
      const error = context.sender?.error ?? context.receiver?.error ?? context.connection?.error ?? context.error;
      reject(new Error(`${what} failed: ${describeError(error)}`));
    };
    const timer = setTimeout(() => (cleanUp(), reject(new Error(`${what}: no answer within ${OPEN_TIMEOUT_MS / 1000} s`))), OPEN_TIMEOUT_MS);
    emitter.on(event, onOpen);
    for (const failure of failures) emitter.on(failure, onFailure);
  });
}

/** An AMQP error (`{ condition, description }`), an Error or nothing, as one line. */
export function describeError(error: unknown): string {
  if (error === undefined || error === null) return 'closed without an error';
  if (error instanceof Error) return error.message;
  const { condition, description } = error as { condition?: string; description?: string };
  return condition ? `${condition}${description ? `: ${description}` : ''}` : JSON.stringify(error);
}
