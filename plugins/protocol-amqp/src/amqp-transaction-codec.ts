import rhea from 'rhea';
import { AmqpRefusal } from './amqp-refusal';
import { amqpMessageLayout, AmqpMessageLayoutError, SectionCode } from './amqp-message-layout';
import { rheaCodec } from './rhea-codec';

/** Descriptor codes of AMQP 1.0 part 4 (transactions). */
export const TransactionCode = {
  COORDINATOR: 0x30,
  DECLARE: 0x31,
  DISCHARGE: 0x32,
  DECLARED: 0x33,
  TRANSACTIONAL_STATE: 0x34,
} as const;

const SYMBOLIC_CODES: Record<string, number> = {
  'amqp:coordinator:list': TransactionCode.COORDINATOR,
  'amqp:declare:list': TransactionCode.DECLARE,
  'amqp:discharge:list': TransactionCode.DISCHARGE,
  'amqp:declared:list': TransactionCode.DECLARED,
  'amqp:transactional-state:list': TransactionCode.TRANSACTIONAL_STATE,
};

/** The capability a coordinator offers: local transactions only (no distributed, no multiple per session). */
export const LOCAL_TRANSACTIONS = 'amqp:local-transactions';

/** What a controller asks its coordinator: a declare, or a discharge (commit, or rollback when `fail`). */
export type CoordinatorRequest = { kind: 'declare' } | { kind: 'discharge'; txnId: Buffer; fail: boolean };

interface TypedValue {
  value: unknown;
  descriptor?: { value: unknown };
}

/** A descriptor's code, numeric or symbolic (rhea hands over either, depending on how the peer encoded it). */
export function descriptorCodeOf(descriptor: unknown): number | undefined {
  const value = (descriptor as { value?: unknown } | undefined)?.value ?? descriptor;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return SYMBOLIC_CODES[value];
  return undefined;
}

/**
 * Reads the declare or discharge a message to the coordinator carries as its amqp-value body.
 * Parsed from the raw transfer: rhea's decoder drops the descriptor of a described value inside
 * the amqp-value section. Throws AmqpRefusal for anything else.
 */
export function coordinatorRequestOf(raw: Buffer): CoordinatorRequest {
  let body: number;
  try {
    body = amqpMessageLayout(raw).payload.start;
  } catch (error) {
    if (error instanceof AmqpMessageLayoutError) throw new AmqpRefusal('amqp:decode-error', error.message);
    throw error;
  }
  const section = body < raw.length ? describedAt(raw, body) : undefined;
  if (section?.code !== SectionCode.VALUE) {
    throw new AmqpRefusal('amqp:decode-error', 'a message to the transaction coordinator must carry a declare or a discharge as its amqp-value body');
  }
  return requestIn(raw, section.valueStart);
}

function requestIn(raw: Buffer, at: number): CoordinatorRequest {
  const request = describedAt(raw, at);
  const fields = (rheaCodec.reader(raw.subarray(request.valueStart)).read() as TypedValue).value;
  const list = Array.isArray(fields) ? (fields as TypedValue[]) : [];
  if (request.code === TransactionCode.DECLARE) {
    if (list[0] !== undefined && list[0].value !== null && list[0].value !== undefined) {
      throw new AmqpRefusal('amqp:not-implemented', 'distributed transactions (a declare with a global-id) are not supported: only local transactions');
    }
    return { kind: 'declare' };
  }
  if (request.code === TransactionCode.DISCHARGE) {
    const txnId = list[0]?.value;
    if (!Buffer.isBuffer(txnId)) throw new AmqpRefusal('amqp:decode-error', 'a discharge needs its txn-id (binary)');
    return { kind: 'discharge', txnId, fail: list[1]?.value === true };
  }
  throw new AmqpRefusal('amqp:decode-error', 'a message to the transaction coordinator must carry a declare or a discharge');
}

/** The code of the described value at `at` (0x00, descriptor) and where its value starts. */
function describedAt(raw: Buffer, at: number): { code: number | undefined; valueStart: number } {
  if (raw[at] !== 0x00) throw new AmqpRefusal('amqp:decode-error', `expected a described value at byte ${at}`);
  const constructor = raw[at + 1];
  switch (constructor) {
    case 0x44:
      return { code: 0, valueStart: at + 2 };
    case 0x53:
      return { code: raw[at + 2], valueStart: at + 3 };
    case 0x80:
      return { code: at + 10 <= raw.length ? Number(raw.readBigUInt64BE(at + 2)) : undefined, valueStart: at + 10 };
    case 0xa3: {
      const end = at + 3 + raw[at + 2]!;
      return { code: SYMBOLIC_CODES[raw.toString('latin1', at + 3, end)], valueStart: end };
    }
    case 0xb3: {
      const end = at + 6 + raw.readUInt32BE(at + 2);
      return { code: SYMBOLIC_CODES[raw.toString('latin1', at + 6, end)], valueStart: end };
    }
    default:
      throw new AmqpRefusal('amqp:decode-error', `unexpected descriptor constructor 0x${constructor?.toString(16)} at byte ${at + 1}`);
  }
}

/**
 * The txn-id of a transfer sent under a transaction (its state is a transactional-state). rhea
 * does not know that type and hands the state over as its fields, `[txn-id, outcome]`.
 */
export function transactionIdOfTransfer(state: unknown): Buffer | undefined {
  if (Array.isArray(state) && Buffer.isBuffer(state[0])) return state[0];
  const typed = state as TypedValue | undefined;
  if (typed?.descriptor && descriptorCodeOf(typed.descriptor) === TransactionCode.TRANSACTIONAL_STATE && Array.isArray(typed.value)) {
    const id = (typed.value[0] as TypedValue | undefined)?.value;
    return Buffer.isBuffer(id) ? id : undefined;
  }
  return undefined;
}

const types = rhea.types as unknown as {
  described(descriptor: unknown, value: unknown): unknown;
  wrap_ulong(value: number): unknown;
  wrap_list(values: unknown[]): unknown;
  wrap_binary(value: Buffer): unknown;
  wrap_symbol(value: string): unknown;
};

/** The `declared` outcome that answers a declare, naming the new transaction. */
export function declaredOutcome(txnId: Buffer): unknown {
  return types.described(types.wrap_ulong(TransactionCode.DECLARED), types.wrap_list([types.wrap_binary(txnId)]));
}

/** The state of a transfer accepted under a transaction: provisional until the transaction commits. */
export function transactionalAccepted(txnId: Buffer): unknown {
  const accepted = (rhea.message as unknown as { accepted(): { described(): unknown } }).accepted().described();
  return types.described(types.wrap_ulong(TransactionCode.TRANSACTIONAL_STATE), types.wrap_list([types.wrap_binary(txnId), accepted]));
}

/** The coordinator target the reply attach carries. */
export function coordinatorTarget(): unknown {
  return types.described(types.wrap_ulong(TransactionCode.COORDINATOR), types.wrap_list([types.wrap_symbol(LOCAL_TRANSACTIONS)]));
}
