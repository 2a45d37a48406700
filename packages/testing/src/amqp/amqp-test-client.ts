import rhea, { type Connection, type Delivery, type EventContext, type Message, type Receiver, type Sender } from 'rhea';
import { bounded } from '../timing/bounded';

/** How a transfer ended, as the sender saw it. */
export type AmqpSendOutcome =
  | { state: 'accepted' }
  | { state: 'rejected'; condition?: string; description?: string }
  | { state: 'released' }
  | { state: 'modified' };

/** An AMQP error a peer sent (connection, link or SASL). */
export class AmqpPeerError extends Error {
  constructor(
    readonly condition: string | undefined,
    description: string,
  ) {
    super(`${condition ?? 'no condition'}: ${description}`);
  }
}

export interface AmqpTestClientOptions {
  port: number;
  host?: string;
  username?: string;
  password?: string;
  /** The container id: names durable subscriptions together with the link name. */
  containerId?: string;
  timeoutMs?: number;
  /** rhea's session buffer each way (its default 2,048). */
  sessionWindow?: number;
}

export interface ReceivedDelivery {
  message: Message;
  delivery: Delivery;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** A rhea client wrapped in promises, for tests against the AMQP front: each wait is bounded. */
export class AmqpTestClient {
  private constructor(
    readonly connection: Connection,
    private readonly timeoutMs: number,
  ) {}

  static connect(options: AmqpTestClientOptions): Promise<AmqpTestClient> {
    const container = rhea.create_container({ id: options.containerId ?? `test-${Math.random().toString(16).slice(2)}` });
    const connection = container.connect({
      host: options.host ?? '127.0.0.1',
      port: options.port,
      username: options.username,
      password: options.password,
      session_buffer_size: options.sessionWindow,
      reconnect: false,
    } as never);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Errors are answered through the promises below; without a listener rhea would throw them.
    container.on('error', () => undefined);
    return bounded(
      new Promise((resolve, reject) => {
        connection.once('connection_open', () => resolve(new AmqpTestClient(connection, timeoutMs)));
        connection.once('connection_error', (context: EventContext) => reject(peerError(context.error ?? context.connection.error)));
        connection.once('disconnected', (context: EventContext) =>
          reject(context.connection.error ? peerError(context.connection.error) : new Error(`disconnected: ${String(context.error ?? '')}`)),
        );
      }),
      timeoutMs,
      'connection open',
    );
  }

  /** A sending link; `target` null or {} is the anonymous relay. */
  openSender(target: string | null | Record<string, unknown>, options: Record<string, unknown> = {}): Promise<AmqpTestSender> {
    const sender = this.connection.open_sender({
      target: typeof target === 'string' ? { address: target } : (target ?? {}),
      autosettle: true,
      ...options,
    } as never);
    return this.opened(sender, 'sender').then(() => new AmqpTestSender(sender, this.timeoutMs));
  }

  /** A receiving link granting `credit` (rhea's window when not set to 0 by `credit: 0`). */
  openReceiver(
    source: string | Record<string, unknown>,
    options: { credit?: number; autoaccept?: boolean; name?: string; presettled?: boolean } = {},
  ): Promise<AmqpTestReceiver> {
    const receiver = this.connection.open_receiver({
      source: typeof source === 'string' ? { address: source } : source,
      name: options.name,
      autoaccept: options.autoaccept ?? true,
      credit_window: options.credit ?? 100,
      snd_settle_mode: options.presettled ? 1 : 0,
    } as never);
    const wrapped = new AmqpTestReceiver(receiver, this.timeoutMs);
    return this.opened(receiver, 'receiver').then(() => wrapped);
  }

  close(): Promise<void> {
    if (this.connection.is_closed() || !this.connection.is_open()) return Promise.resolve();
    return bounded(
      new Promise<void>((resolve) => {
        this.connection.once('connection_close', () => resolve());
        this.connection.once('disconnected', () => resolve());
        this.connection.close();
      }),
      this.timeoutMs,
      'connection close',
    ).catch(() => undefined);
  }

  /** Drops the socket without closing anything (a crashed client). */
  destroy(): void {
    // rhea's own abort: it destroys the socket and forgets the connection, which a bare
    // socket.destroy() would not tell it (it would keep writing heartbeats to the dead socket).
    const internals = this.connection as unknown as { socket?: unknown; abort_socket(socket: unknown): void };
    if (!internals.socket) return;
    this.connection.once('disconnected', () => undefined); // expected here; rhea warns when nobody listens
    internals.abort_socket(internals.socket);
  }

  private opened(link: Sender | Receiver, role: 'sender' | 'receiver'): Promise<void> {
    return bounded(
      new Promise<void>((resolve, reject) => {
        link.once(`${role}_open`, () => {
          // A refusal is an attach with no terminus followed by a detach with the error.
          const terminus = role === 'sender' ? link.target : link.source;
          if (!isNullTerminus(terminus)) resolve();
        });
        link.once(`${role}_error`, () => reject(peerError(link.error)));
        link.once(`${role}_close`, () => reject(peerError(link.error)));
      }),
      this.timeoutMs,
      `${role} attach`,
    );
  }
}

interface PendingSend {
  resolve(outcome: AmqpSendOutcome): void;
  reject(error: Error): void;
}

export class AmqpTestSender {
  private readonly pending = new Map<Delivery, PendingSend>();

  constructor(
    readonly link: Sender,
    private readonly timeoutMs: number,
  ) {
    const settle = (outcome: (context: EventContext) => AmqpSendOutcome) => (context: EventContext) => {
      const pending = this.pending.get(context.delivery!);
      if (!pending) return;
      this.pending.delete(context.delivery!);
      pending.resolve(outcome(context));
    };
    link.connection.on('disconnected', () => {
      for (const pending of this.pending.values()) pending.reject(new Error('disconnected before the outcome'));
      this.pending.clear();
    });
    link.on('accepted', settle(() => ({ state: 'accepted' })));
    link.on('released', settle(() => ({ state: 'released' })));
    link.on('modified', settle(() => ({ state: 'modified' })));
    link.on('rejected', settle((context) => {
      const error = (context.delivery!.remote_state as { error?: { condition?: string; description?: string } } | undefined)?.error;
      return { state: 'rejected', condition: error?.condition, description: error?.description };
    }));
  }

  /** Sends and waits for the broker's outcome; rejects if the connection goes first or the wait passes. */
  send(message: Message): Promise<AmqpSendOutcome> {
    const delivery = this.link.send(message);
    return bounded(
      new Promise<AmqpSendOutcome>((resolve, reject) => this.pending.set(delivery, { resolve, reject })),
      this.timeoutMs,
      'transfer outcome',
    ).finally(() => this.pending.delete(delivery));
  }

  close(): void {
    this.link.close();
  }
}

export class AmqpTestReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly link: Receiver,
    private readonly timeoutMs: number,
  ) {
    link.on('message', (context: EventContext) => {
      this.received.push({ message: context.message!, delivery: context.delivery! });
      for (const wake of this.waiters) wake();
    });
  }

  /** Waits until `count` messages have arrived in all; returns them. */
  async until(count: number, timeoutMs = this.timeoutMs): Promise<ReceivedDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${count} messages (got ${this.received.length})`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        this.waiters.add(wake);
      });
    }
    return this.received.slice(0, count);
  }

  /** True if nothing more than `count` messages arrives within `ms`. */
  async staysAt(count: number, ms: number): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.length === count;
  }

  addCredit(credit: number): void {
    this.link.add_credit(credit);
  }

  /** Detach without closing (a durable subscription stays). */
  detach(): Promise<void> {
    return this.ended(() => this.link.detach());
  }

  close(): Promise<void> {
    return this.ended(() => this.link.close());
  }

  private ended(end: () => void): Promise<void> {
    return bounded(
      new Promise<void>((resolve) => {
        this.link.once('receiver_close', () => resolve());
        end();
      }),
      this.timeoutMs,
      'detach',
    );
  }
}

/** rhea hands a null terminus over as a typed null, not as null. */
function isNullTerminus(terminus: unknown): boolean {
  return terminus === null || terminus === undefined || (terminus as { type?: { name?: string } }).type?.name === 'Null';
}

function peerError(error: unknown): Error {
  const amqp = error as { condition?: string; description?: string; message?: string } | undefined;
  return new AmqpPeerError(amqp?.condition, amqp?.description ?? amqp?.message ?? 'closed without an error');
}
