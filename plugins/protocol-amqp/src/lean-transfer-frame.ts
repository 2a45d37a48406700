import { openDescribedList8 } from './described-list8';
import type { ScratchWriter } from './scratch-writer';
import { writeAmqpUint } from './write-amqp-uint';

// rhea's frame module: its performative constructors are not part of its public API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames = require('rhea/lib/frames.js') as { transfer(fields: TransferFields): RheaComposite };

interface RheaComposite {
  value: unknown[];
}

interface TransferFields {
  handle?: unknown;
  delivery_id?: unknown;
  delivery_tag?: unknown;
  message_format?: unknown;
  settled?: unknown;
  more?: unknown;
}

const TRANSFER_DESCRIPTOR = 0x14;
const LEAN_FIELDS = new Set(['handle', 'delivery_id', 'delivery_tag', 'message_format', 'settled', 'more']);
const MAX_UINT = 0xffffffff;

/**
 * An outgoing transfer performative as plain fields. rhea builds each one as a composite whose
 * every field setter wraps its value in a typed object, then wraps them again to encode: per
 * message sent, that was several percent of a broker's CPU. The pooled transport writer
 * encodes these itself (encodeLeanTransfer); rhea's log prints them as it prints its own. Code
 * that reaches into a transfer's `value` (a test client adding a transactional state does) gets
 * rhea's composite of the same fields, which is then what is encoded.
 */
export class LeanTransfer {
  /** rhea's own composite, built only once some code asked for `value`. */
  composite: RheaComposite | undefined;

  constructor(
    readonly handle: number,
    readonly delivery_id: number,
    readonly delivery_tag: Buffer,
    readonly message_format: number,
    readonly settled: boolean,
    readonly more: boolean,
  ) {}

  get value(): unknown[] {
    this.composite ??= rheaTransfer!({
      handle: this.handle,
      delivery_id: this.delivery_id,
      delivery_tag: this.delivery_tag,
      message_format: this.message_format,
      settled: this.settled,
      more: this.more,
    });
    return this.composite.value;
  }
}

/** rhea's own `frames.transfer`, kept once installLeanTransferFrames replaced it. */
let rheaTransfer: ((fields: TransferFields) => RheaComposite) | undefined;

/** Makes rhea's `frames.transfer` (called for every transfer a session sends) build LeanTransfers when the fields are the usual ones. */
export function installLeanTransferFrames(): void {
  if (rheaTransfer) return;
  const rheaOwn = (rheaTransfer = frames.transfer);
  frames.transfer = (fields) => {
    const { handle, delivery_id: id, delivery_tag: tag, message_format: format = 0, settled = false, more = false } = fields;
    const lean =
      onlyLeanFields(fields) &&
      isUint(handle) &&
      isUint(id) &&
      Buffer.isBuffer(tag) &&
      tag.length <= 32 &&
      isUint(format) &&
      typeof settled === 'boolean' &&
      typeof more === 'boolean';
    return lean ? (new LeanTransfer(handle, id, tag, format, settled, more) as unknown as RheaComposite) : rheaOwn(fields);
  };
}

/** No field a LeanTransfer cannot carry (checked without building a key array: this runs per message sent). */
function onlyLeanFields(fields: TransferFields): boolean {
  for (const name in fields) if (!LEAN_FIELDS.has(name)) return false;
  return true;
}

/**
 * The transfer as an AMQP described list (1.0, 2.7.5): descriptor 0x14, then handle,
 * delivery-id, delivery-tag, message-format, settled and more; the trailing null fields are
 * left out, as a list encoding may (1.0, 1.4).
 */
export function encodeLeanTransfer(writer: ScratchWriter, transfer: LeanTransfer): void {
  // Every field fits a list8: at most 5 + 5 + 34 + 5 + 1 + 1 bytes.
  const close = openDescribedList8(writer, TRANSFER_DESCRIPTOR, 6);
  writeAmqpUint(writer, transfer.handle);
  writeAmqpUint(writer, transfer.delivery_id);
  writer.write_uint(0xa0, 1);
  writer.write_uint(transfer.delivery_tag.length, 1);
  writer.write_bytes(transfer.delivery_tag);
  writeAmqpUint(writer, transfer.message_format);
  writer.write_uint(transfer.settled ? 0x41 : 0x42, 1);
  writer.write_uint(transfer.more ? 0x41 : 0x42, 1);
  close();
}

function isUint(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT;
}
