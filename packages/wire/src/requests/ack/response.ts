import type { BodyCodec } from '../../codec/body-codec';
import { WireFormatError } from '../../frame/wire-format-error';

/** Settled, or refused because the lease had expired or was already settled. */
export type WireSettleResult = 'OK' | 'STALE';

/** The answer to ACK and NACK: one result per receipt, in request order. */
export interface SettleResponse {
  results: WireSettleResult[];
}

const RESULTS: readonly WireSettleResult[] = ['OK', 'STALE'];

/** count u32 | result u8 each (0 OK, 1 STALE). */
export const settleResponseCodec: BodyCodec<SettleResponse> = {
  encode(writer, response) {
    writer.u32(response.results.length);
    for (const result of response.results) writer.u8(RESULTS.indexOf(result));
  },
  decode(reader) {
    const count = reader.count(1);
    const results: WireSettleResult[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const resultByte = reader.u8();
      const result = RESULTS[resultByte];
      if (!result) throw new WireFormatError(`unknown settle result ${resultByte}`);
      results[i] = result;
    }
    return { results };
  },
};
