import rhea from 'rhea';

// rhea's session and frame modules: a session's incoming half is not part of its public API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Session = require('rhea/lib/session.js') as new (connection: unknown, channel: number) => { incoming: object };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames = require('rhea/lib/frames.js') as { disposition(fields: object): object };

interface TransferFrame {
  performative: {
    delivery_id?: number;
    delivery_tag?: Buffer;
    message_format?: number;
    settled?: boolean;
    state?: unknown;
    more?: boolean;
  };
  payload?: Buffer;
}

interface RheaReceiver {
  _incomplete: IncomingDelivery | undefined;
  credit: number;
  delivery_count: number;
  local: { attach: { rcv_settle_mode: number } };
  session: { output(frame: object): void };
  is_receiver(): boolean;
  is_remote_open(): boolean;
  dispatch(event: string, context: unknown): void;
  _context(context: object): unknown;
}

interface RheaIncoming {
  updated: IncomingDelivery[];
  max_transfer_id: number;
  window: number;
  deliveries: { push(delivery: IncomingDelivery): void; pop_if(settled: (delivery: IncomingDelivery) => boolean): void };
  process(session: { _write_flow(): void }): void;
  next_transfer_id: number;
  next_delivery_id: number | undefined;
  update(delivery: IncomingDelivery, settled: boolean, state: unknown): void;
  on_transfer(frame: TransferFrame, receiver: RheaReceiver): void;
}

const outcomes = rhea.message as unknown as {
  are_outcomes_equivalent(a: unknown, b: unknown): boolean;
  accepted(): { described(): unknown };
  released(): { described(): unknown };
  rejected(fields: object): { described(): unknown };
  modified(fields?: object): { described(): unknown };
};
/** Never changed once made: rhea only reads a delivery's state when it writes the disposition. */
const ACCEPTED = outcomes.accepted().described();

/**
 * A delivery a client sent, as rhea makes it, with its settle methods on a prototype: rhea
 * builds five closures for each one, and deletes a field from it (`delete current.frames`),
 * which turns it into a slow dictionary object for every access after.
 */
export class IncomingDelivery {
  settled = false;
  state: unknown = undefined;
  incomplete: boolean | undefined = undefined;
  frames: Buffer[] | undefined;
  /**
   * The transfer's payload, the annotated message as the client encoded it (format 0 only): rhea
   * hands a receiver only its decoding, and re-encoding can change the bytes (a long comes back a uint).
   */
  raw: Buffer | undefined = undefined;

  constructor(
    private readonly incomingHalf: RheaIncoming,
    readonly id: number,
    readonly tag: Buffer | undefined,
    readonly format: number | undefined,
    readonly link: RheaReceiver,
    readonly remote_settled: boolean,
    readonly remote_state: unknown,
    payload: Buffer | undefined,
  ) {
    this.frames = [payload as Buffer];
  }

  update(settled?: boolean, state?: unknown): void {
    this.incomingHalf.update(this, settled ?? this.link.local.attach.rcv_settle_mode !== 1, state);
  }

  accept(): void {
    this.update(undefined, ACCEPTED);
  }

  release(params?: object): void {
    this.update(undefined, params ? outcomes.modified(params).described() : outcomes.released().described());
  }

  reject(error: unknown): void {
    this.update(undefined, outcomes.rejected({ error }).described());
  }

  modified(params?: object): void {
    this.update(undefined, outcomes.modified(params).described());
  }
}

let installed = false;

/**
 * Replaces rhea's (3.x) handling of incoming transfers, once per process: the same steps on
 * IncomingDelivery objects (a broker takes tens of thousands a second, and rhea's closures and
 * `delete` were a few percent of its CPU), and dispositions written by writeDispositions, which
 * never merges different outcomes. Messages, events and errors are rhea's own.
 */
export function installLeanIncomingDeliveries(): void {
  if (installed) return;
  installed = true;
  const prototype = Object.getPrototypeOf(new Session(undefined, 0).incoming) as RheaIncoming;
  prototype.process = function process(this: RheaIncoming, session) {
    if (this.updated.length > 0) {
      writeDispositions(this.updated);
      this.updated = [];
    }
    this.deliveries.pop_if((delivery) => delivery.settled);
    if (this.max_transfer_id - this.next_transfer_id < this.window / 2) session._write_flow();
  };
  prototype.on_transfer = function onTransfer(this: RheaIncoming, frame: TransferFrame, receiver: RheaReceiver) {
    this.next_transfer_id++;
    if (!receiver.is_remote_open()) throw Error('transfer after detach');
    const performative = frame.performative;
    if (this.next_delivery_id === undefined) this.next_delivery_id = performative.delivery_id;
    let current: IncomingDelivery;
    if (receiver._incomplete) {
      current = receiver._incomplete;
      if (performative.delivery_id !== undefined && performative.delivery_id !== null && current.id !== performative.delivery_id) {
        throw Error('frame sequence error: delivery ' + current.id + ' not complete, got ' + performative.delivery_id);
      }
      if (frame.payload) current.frames!.push(frame.payload);
    } else if (this.next_delivery_id !== undefined && this.next_delivery_id === performative.delivery_id) {
      current = new IncomingDelivery(
        this,
        this.next_delivery_id,
        performative.delivery_tag,
        performative.message_format,
        receiver,
        performative.settled === undefined ? false : performative.settled,
        performative.state,
        frame.payload,
      );
      this.deliveries.push(current);
      this.next_delivery_id = this.next_delivery_id + 1;
    } else {
      throw Error('frame sequence error: expected ' + this.next_delivery_id + ', got ' + performative.delivery_id);
    }
    current.incomplete = performative.more;
    if (current.incomplete) {
      receiver._incomplete = current;
      return;
    }
    receiver._incomplete = undefined;
    const frames = current.frames!;
    const data = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    current.frames = undefined;
    if (receiver.credit > 0) receiver.credit--;
    else console.error('Received transfer when credit was %d', receiver.credit);
    receiver.delivery_count++;
    if (current.format === 0) current.raw = data;
    const context =
      current.format === 0 ? { message: rhea.message.decode(data), delivery: current } : { message: data, delivery: current, format: current.format };
    receiver.dispatch('message', receiver._context(context));
  };
}

/**
 * One disposition per run of consecutive delivery ids with the same settled flag and outcomes
 * rhea counts as one (only `accepted` batches). rhea's own writer compares outcomes only from a
 * run's third delivery on, so an accepted transfer followed by a rejected one in the same turn
 * were both reported accepted: a refused message looked stored to its publisher.
 */
export function writeDispositions(deliveries: readonly IncomingDelivery[]): void {
  let first: IncomingDelivery | undefined;
  let last: IncomingDelivery | undefined;
  for (const delivery of deliveries) {
    // A delivery updated twice in one turn is listed twice; its state is the latest either way.
    if (last && delivery.id === last.id) continue;
    if (first && last && delivery.id === last.id + 1 && delivery.settled === first.settled && outcomes.are_outcomes_equivalent(first.state, delivery.state)) {
      last = delivery;
      continue;
    }
    if (first && last) writeDisposition(first, last);
    first = last = delivery;
  }
  if (first && last) writeDisposition(first, last);
}

function writeDisposition(first: IncomingDelivery, last: IncomingDelivery): void {
  first.link.session.output(frames.disposition({ role: first.link.is_receiver(), first: first.id, last: last.id, state: first.state, settled: first.settled }));
}
