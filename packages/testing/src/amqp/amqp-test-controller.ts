import rhea, { type Delivery, type EventContext, type Message, type Sender } from 'rhea';
import { AmqpPeerError, type AmqpTestClient } from './amqp-test-client';
import { bounded } from '../timing/bounded';

/** AMQP 1.0 part 4 descriptor codes. */
const COORDINATOR = 0x30;
const DECLARE = 0x31;
const DISCHARGE = 0x32;
const DECLARED = 0x33;
const TRANSACTIONAL_STATE = 0x34;
const SYMBOLIC: Record<string, number> = {
  'amqp:coordinator:list': COORDINATOR,
  'amqp:declared:list': DECLARED,
  'amqp:transactional-state:list': TRANSACTIONAL_STATE,
};
/** Index of `state` among the transfer performative's fields. */
const TRANSFER_STATE_FIELD = 7;

interface DescribedField {
  descriptor?: { value?: unknown };
  value?: unknown;
}

interface RheaTypes {
  described(descriptor: unknown, value: unknown): unknown;
  wrap_ulong(value: number): unknown;
  wrap_list(values: unknown[]): unknown;
  wrap_binary(value: Buffer): unknown;
  wrap_boolean(value: boolean): unknown;
  wrap_symbol(value: string): unknown;
  Writer: new () => { write(value: unknown): void; toBuffer(): Buffer };
}

const types = rhea.types as unknown as RheaTypes;

/** How the coordinator answered a transfer sent under a transaction. */
export type TransactionalSendOutcome =
  | { state: 'transactional'; outcome: string | undefined }
  | { state: 'rejected'; condition?: string; description?: string }
  | { state: 'other'; type: string };

/**
 * A transaction controller over rhea, for tests of a broker's coordinator: rhea has none. It
 * attaches a link to the coordinator, declares and discharges transactions, sends transfers
 * under one and settles deliveries under one. rhea cannot put a state on a transfer, so the
 * transactional-state of a send is written into the transfer frame as rhea builds it.
 */
export class AmqpTestController {
  /** Rejections of the outcomes awaited, for when the connection drops. */
  private readonly waiting = new Set<(error: Error) => void>();

  private constructor(
    readonly link: Sender,
    private readonly timeoutMs: number,
  ) {
    link.connection.on('disconnected', () => {
      for (const reject of this.waiting) reject(new Error('disconnected before the outcome'));
      this.waiting.clear();
    });
  }

  static open(client: AmqpTestClient, timeoutMs = 10_000): Promise<AmqpTestController> {
    installClientTransactionTypes();
    const link = client.connection.open_sender({ autosettle: true } as never);
    (link as unknown as { local: { attach: { target: unknown } } }).local.attach.target = types.described(
      types.wrap_ulong(COORDINATOR),
      types.wrap_list([types.wrap_symbol('amqp:local-transactions')]),
    );
    return bounded(
      new Promise<AmqpTestController>((resolve, reject) => {
        link.once('sender_open', () => {
          if ((link.target as { coordinator?: boolean } | null)?.coordinator) resolve(new AmqpTestController(link, timeoutMs));
        });
        link.once('sender_close', () => {
          const error = link.error as { condition?: string; description?: string } | undefined;
          reject(new AmqpPeerError(error?.condition, error?.description ?? 'detached'));
        });
      }),
      timeoutMs,
      'coordinator attach',
    );
  }

  /** Declares a transaction; resolves to its txn-id, rejects with AmqpPeerError when refused. */
  async declare(): Promise<Buffer> {
    const state = await this.request(types.described(types.wrap_ulong(DECLARE), types.wrap_list([])));
    const txnId = (state as { txnId?: Buffer }).txnId;
    if (!Buffer.isBuffer(txnId)) throw new Error(`the coordinator answered a declare with ${describeState(state)}`);
    return txnId;
  }

  commit(txnId: Buffer): Promise<void> {
    return this.discharge(txnId, false);
  }

  rollback(txnId: Buffer): Promise<void> {
    return this.discharge(txnId, true);
  }

  /** Discharges; resolves when accepted, rejects with AmqpPeerError (condition and description) when rejected. */
  async discharge(txnId: Buffer, fail: boolean): Promise<void> {
    // rhea writes a turn's transfers before its dispositions: let outcomes settled under the
    // transaction before this call reach the coordinator first.
    await new Promise((resolve) => setImmediate(resolve));
    const state = await this.request(types.described(types.wrap_ulong(DISCHARGE), types.wrap_list([types.wrap_binary(txnId), types.wrap_boolean(fail)])));
    if (compositeType(state) !== 'accepted') throw new Error(`the coordinator answered a discharge with ${describeState(state)}`);
  }

  /** Sends `message` on `sender` under the transaction; resolves to the state the broker settled it with. */
  sendInTransaction(sender: Sender, txnId: Buffer, message: Message): Promise<TransactionalSendOutcome> {
    const delivery = sender.send(message);
    transactionalTransfers.set(transferKey(sender, delivery.id), transactionalState(txnId, undefined));
    return bounded(this.settlementOf(delivery), this.timeoutMs, 'transactional transfer outcome').then((state) => {
      const type = compositeType(state);
      if (type === 'transactional_state') return { state: 'transactional', outcome: compositeType((state as { outcome?: unknown }).outcome) };
      if (type === 'rejected') return { state: 'rejected', ...errorOf(state) };
      return { state: 'other', type: type ?? 'none' };
    });
  }

  /** Settles a received delivery under the transaction with `outcome` (accepted by default). */
  static settleInTransaction(delivery: Delivery, txnId: Buffer, outcome: 'accepted' | 'released' | 'rejected' = 'accepted'): void {
    const inner = (rhea.message as unknown as Record<string, () => { described(): unknown }>)[outcome]!().described();
    delivery.update(true, transactionalState(txnId, inner) as never);
  }

  close(): void {
    this.link.close();
  }

  private request(body: unknown): Promise<unknown> {
    const section = new types.Writer();
    section.write(body);
    // rhea's encoder would replace the body's descriptor with the amqp-value one: encode by hand.
    const encoded = Buffer.concat([Buffer.from([0x00, 0x53, 0x77]), section.toBuffer()]);
    const delivery = this.link.send(encoded as never, undefined, 0);
    return bounded(this.settlementOf(delivery), this.timeoutMs, 'coordinator outcome').then((state) => {
      if (compositeType(state) === 'rejected') {
        const error = errorOf(state);
        throw new AmqpPeerError(error.condition, error.description ?? '');
      }
      return state;
    });
  }

  /** Resolves to the remote state once the peer settled the delivery. */
  private settlementOf(delivery: Delivery): Promise<unknown> {
    const link = (delivery as unknown as { link: Sender }).link;
    return new Promise((resolve, reject) => {
      const settled = (context: EventContext) => {
        if (context.delivery !== delivery) return;
        link.removeListener('settled', settled);
        this.waiting.delete(reject);
        resolve(delivery.remote_state);
      };
      link.on('settled', settled);
      this.waiting.add(reject);
    });
  }
}

/**
 * Transfers to send with a transactional-state, by link handle and delivery id (rhea builds the
 * frame knowing only those): two connections sending under transactions at once could mix them up.
 */
const transactionalTransfers = new Map<string, unknown>();

function transferKey(sender: Sender, deliveryId: number): string {
  return `${(sender as unknown as { local: { handle: number } }).local.handle}/${deliveryId}`;
}

function transactionalState(txnId: Buffer, outcome: unknown): unknown {
  return types.described(types.wrap_ulong(TRANSACTIONAL_STATE), types.wrap_list(outcome === undefined ? [types.wrap_binary(txnId)] : [types.wrap_binary(txnId), outcome]));
}

function compositeType(state: unknown): string | undefined {
  return (state as { constructor?: { composite_type?: string } } | undefined)?.constructor?.composite_type;
}

function errorOf(state: unknown): { condition?: string; description?: string } {
  const error = (state as { error?: { condition?: string; description?: string } }).error;
  return { condition: error?.condition, description: error?.description };
}

function describeState(state: unknown): string {
  return compositeType(state) ?? JSON.stringify(state);
}

function descriptorCode(descriptor: unknown): number | undefined {
  const value = (descriptor as { value?: unknown } | undefined)?.value ?? descriptor;
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? SYMBOLIC[value] : undefined;
}

/** Same shapes and marker as @tessera/protocol-amqp's installRheaTransactionTypes, which may have run first in this process. */
const INSTALLED = Symbol.for('tessera.amqp.rhea-transaction-types');
let transferPatched = false;

class DeclaredOutcome {
  static readonly composite_type = 'declared';
  constructor(readonly txnId: Buffer | undefined) {}
}

class TransactionalDisposition {
  static readonly composite_type = 'transactional_state';
  constructor(
    readonly txnId: Buffer | undefined,
    readonly outcome: unknown,
  ) {}
}

function installClientTransactionTypes(): void {
  if (!transferPatched) {
    transferPatched = true;
    const frames = require('rhea/lib/frames.js') as { transfer(fields: { handle: number; delivery_id: number }): { value: unknown[] } };
    const transfer = frames.transfer;
    frames.transfer = (fields) => {
      const frame = transfer(fields);
      const key = `${fields.handle}/${fields.delivery_id}`;
      const state = transactionalTransfers.get(key);
      if (state !== undefined) {
        frame.value[TRANSFER_STATE_FIELD] = state;
        transactionalTransfers.delete(key);
      }
      return frame;
    };
  }
  const messages = rhea.message as unknown as { unwrap_outcome(outcome: DescribedField | undefined): unknown; [INSTALLED]?: boolean };
  if (messages[INSTALLED]) return;
  messages[INSTALLED] = true;
  const terminus = require('rhea/lib/terminus.js') as { unwrap(field: DescribedField | undefined): unknown };
  const unwrapTerminus = terminus.unwrap;
  terminus.unwrap = (field) =>
    field?.descriptor !== undefined && descriptorCode(field.descriptor) === COORDINATOR ? { coordinator: true, capabilities: [] } : unwrapTerminus(field);
  const unwrapOutcome = messages.unwrap_outcome;
  messages.unwrap_outcome = (outcome) => {
    const code = outcome?.descriptor === undefined ? undefined : descriptorCode(outcome.descriptor);
    if (code !== TRANSACTIONAL_STATE && code !== DECLARED) return unwrapOutcome(outcome);
    const fields = Array.isArray(outcome!.value) ? (outcome!.value as DescribedField[]) : [];
    const txnId = Buffer.isBuffer(fields[0]?.value) ? (fields[0]!.value as Buffer) : undefined;
    if (code === DECLARED) return new DeclaredOutcome(txnId);
    return new TransactionalDisposition(txnId, fields[1]?.descriptor !== undefined ? unwrapOutcome(fields[1]) : undefined);
  };
}
