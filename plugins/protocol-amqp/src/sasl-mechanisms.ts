import type { UserStore } from '@tessera/kernel';

/**
 * The server side of SASL PLAIN against the broker's UserStore, in the shape rhea's SASL
 * server drives (`start` sets `outcome`); its own class so the adapter can tell a user who
 * logged in from an ANONYMOUS client that merely named itself.
 */
export class PlainMechanism {
  outcome: boolean | undefined;
  username: string | undefined;

  constructor(private readonly users: UserStore) {}

  start(response: Buffer | undefined): void {
    // PLAIN (RFC 4616): authzid NUL authcid NUL password.
    const fields = splitOnNul(response ?? Buffer.alloc(0));
    if (fields.length !== 3) {
      this.outcome = false;
      return;
    }
    const username = fields[1]!.toString('utf8');
    this.outcome = username.length > 0 && this.users.authenticate(username, fields[2]!);
    if (this.outcome) this.username = username;
  }
}

export class AnonymousMechanism {
  outcome: boolean | undefined;
  readonly username = undefined;

  start(): void {
    this.outcome = true;
  }
}

function splitOnNul(buffer: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= buffer.length; i++) {
    if (i === buffer.length || buffer[i] === 0) {
      fields.push(buffer.subarray(start, i));
      start = i + 1;
    }
  }
  return fields;
}

/** The user a connection logged in as with PLAIN; undefined for an anonymous one (ANONYMOUS, or no SASL layer). */
export function authenticatedUser(connection: unknown): string | undefined {
  const transport = (connection as { sasl_transport?: { transports?: Record<number, unknown>; mechanism?: unknown } }).sasl_transport;
  const server = (transport?.transports ? transport.transports[3] : transport) as { mechanism?: unknown } | undefined;
  const mechanism = server?.mechanism;
  return mechanism instanceof PlainMechanism && mechanism.outcome ? mechanism.username : undefined;
}
