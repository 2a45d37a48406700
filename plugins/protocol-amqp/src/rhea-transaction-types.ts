import rhea from 'rhea';
import { descriptorCodeOf, TransactionCode } from './amqp-transaction-codec';

interface DescribedField {
  descriptor?: unknown;
  value?: unknown;
}

interface RheaTerminusModule {
  unwrap(field: DescribedField | undefined): unknown;
}

interface RheaMessageModule {
  unwrap_outcome(outcome: DescribedField | undefined): unknown;
}

/** A link's target that names the transaction coordinator (rhea only knows source and target). */
export interface CoordinatorTerminus {
  readonly coordinator: true;
  readonly capabilities: readonly string[];
}

export function isCoordinatorTerminus(terminus: unknown): terminus is CoordinatorTerminus {
  return (terminus as Partial<CoordinatorTerminus> | null | undefined)?.coordinator === true;
}

/**
 * The state a receiver gives a delivery it settles under a transaction: the transaction and the
 * outcome that applies once it commits (`outcome` as rhea unwraps outcomes, or undefined).
 * rhea dispatches a delivery update with this state as the link event `transactional_state`.
 */
export class TransactionalDisposition {
  static readonly composite_type = 'transactional_state';

  constructor(
    readonly txnId: Buffer | undefined,
    readonly outcome: { constructor: { composite_type?: string } } | undefined,
  ) {}
}

/** The coordinator's answer to a declare (a client receives it): rhea dispatches it as the link event `declared`. */
export class DeclaredOutcome {
  static readonly composite_type = 'declared';

  constructor(readonly txnId: Buffer | undefined) {}
}

/**
 * Marks rhea as taught, process-wide: @tessera/testing's AMQP transaction client teaches it the
 * same types, with the same shapes, when no broker in the process did.
 */
const INSTALLED = Symbol.for('tessera.amqp.rhea-transaction-types');

/**
 * Teaches rhea, once per process, the part-4 types: a coordinator target on an attach (rhea
 * would log "Unknown terminus" and hand over a null target, taken for the anonymous relay), a
 * transactional-state in a disposition (rhea would log "unrecognised outcome" and dispatch no
 * event for it), and the declared outcome.
 */
export function installRheaTransactionTypes(): void {
  const messages = rhea.message as unknown as RheaMessageModule & { [INSTALLED]?: boolean };
  if (messages[INSTALLED]) return;
  messages[INSTALLED] = true;
  // rhea keeps its terminus types private; its modules call each other through these objects.
  const terminus = require('rhea/lib/terminus.js') as RheaTerminusModule;
  const unwrapTerminus = terminus.unwrap;
  terminus.unwrap = (field) => {
    if (field?.descriptor !== undefined && descriptorCodeOf(field.descriptor) === TransactionCode.COORDINATOR) {
      const coordinator: CoordinatorTerminus = { coordinator: true, capabilities: capabilitiesOf(field.value) };
      return coordinator;
    }
    return unwrapTerminus(field);
  };
  const unwrapOutcome = messages.unwrap_outcome;
  messages.unwrap_outcome = (outcome) => {
    const code = outcome?.descriptor === undefined ? undefined : descriptorCodeOf(outcome.descriptor);
    if (code !== TransactionCode.TRANSACTIONAL_STATE && code !== TransactionCode.DECLARED) return unwrapOutcome(outcome);
    const fields = Array.isArray(outcome!.value) ? (outcome!.value as DescribedField[]) : [];
    const txnId = Buffer.isBuffer(fields[0]?.value) ? (fields[0]!.value as Buffer) : undefined;
    if (code === TransactionCode.DECLARED) return new DeclaredOutcome(txnId);
    const inner = fields[1]?.descriptor !== undefined ? (unwrapOutcome(fields[1]) as TransactionalDisposition['outcome']) : undefined;
    return new TransactionalDisposition(txnId, inner);
  };
}

function capabilitiesOf(fields: unknown): string[] {
  const first = Array.isArray(fields) ? (fields[0] as DescribedField | undefined) : undefined;
  const value = first?.value;
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => (typeof item === 'string' ? item : (item as DescribedField | undefined)?.value)).filter((item): item is string => typeof item === 'string');
}
