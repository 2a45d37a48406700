import rhea from 'rhea';
import { coordinatorRequestOf, declaredOutcome, TransactionCode, transactionIdOfTransfer } from './amqp-transaction-codec';
import { rheaCodec } from './rhea-codec';

const types = rhea.types as unknown as {
  described(descriptor: unknown, value: unknown): unknown;
  wrap_ulong(value: number): unknown;
  wrap_symbol(value: string): unknown;
  wrap_list(values: unknown[]): unknown;
  wrap_binary(value: Buffer): unknown;
  wrap_boolean(value: boolean): unknown;
};

/** A message whose amqp-value body is `value`, encoded as a controller would (rhea's own encoder loses the value's descriptor). */
function coordinatorMessage(value: unknown): Buffer {
  const writer = rheaCodec.writer();
  writer.write(rheaCodec.sections.properties({ message_id: 'request-1' }).described());
  const head = writer.toBuffer();
  const body = rheaCodec.writer();
  body.write(value);
  return Buffer.concat([head, Buffer.from([0x00, 0x53, 0x77]), body.toBuffer()]);
}

describe('AMQP transaction codec', () => {
  it('reads a declare and a discharge, with numeric or symbolic descriptors', () => {
    expect(coordinatorRequestOf(coordinatorMessage(types.described(types.wrap_ulong(0x31), types.wrap_list([]))))).toEqual({ kind: 'declare' });
    const txnId = Buffer.from([1, 2, 3]);
    const discharge = types.described(types.wrap_symbol('amqp:discharge:list'), types.wrap_list([types.wrap_binary(txnId), types.wrap_boolean(true)]));
    expect(coordinatorRequestOf(coordinatorMessage(discharge))).toEqual({ kind: 'discharge', txnId, fail: true });
    const commit = types.described(types.wrap_ulong(0x32), types.wrap_list([types.wrap_binary(txnId)]));
    expect(coordinatorRequestOf(coordinatorMessage(commit))).toEqual({ kind: 'discharge', txnId, fail: false });
  });

  it('refuses a declare with a global-id (distributed transactions) and a body that is neither request', () => {
    const global = types.described(types.wrap_ulong(0x31), types.wrap_list([types.wrap_binary(Buffer.from('g'))]));
    expect(() => coordinatorRequestOf(coordinatorMessage(global))).toThrow(expect.objectContaining({ condition: 'amqp:not-implemented' }));
    expect(() => coordinatorRequestOf(rhea.message.encode({ body: 'declare please' }))).toThrow(expect.objectContaining({ condition: 'amqp:decode-error' }));
    expect(() => coordinatorRequestOf(Buffer.from([0x00, 0x53, 0x77, 0x00, 0x53]))).toThrow(expect.objectContaining({ condition: 'amqp:decode-error' }));
    expect(() => coordinatorRequestOf(Buffer.alloc(0))).toThrow(expect.objectContaining({ condition: 'amqp:decode-error' }));
  });

  it("finds a transfer's txn-id in the state rhea hands over, and nothing in other states", () => {
    const txnId = Buffer.from('tx');
    expect(transactionIdOfTransfer([txnId, undefined])).toBe(txnId);
    expect(transactionIdOfTransfer(undefined)).toBeUndefined();
    expect(transactionIdOfTransfer([3, 1024])).toBeUndefined();
  });

  it('encodes the declared outcome with the txn-id', () => {
    const writer = rheaCodec.writer();
    writer.write(declaredOutcome(Buffer.from([9, 9])));
    const encoded = writer.toBuffer();
    expect(encoded.subarray(0, 3)).toEqual(Buffer.from([0x00, 0x53, TransactionCode.DECLARED]));
    expect(encoded.includes(Buffer.from([0xa0, 0x02, 9, 9]))).toBe(true);
  });
});
