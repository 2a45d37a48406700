import type { BodyCodec } from '../../codec/body-codec';

/** The lease's new receipt (use it from now on) and when it expires. */
export interface ChangeInvisibleTimeResponse {
  receipt: string;
  leaseExpiresAt: number;
}

/** receipt | leaseExpiresAt u64. */
export const changeInvisibleTimeResponseCodec: BodyCodec<ChangeInvisibleTimeResponse> = {
  encode(writer, response) {
    writer.string(response.receipt);
    writer.u64(response.leaseExpiresAt);
  },
  decode(reader) {
    return { receipt: reader.string(), leaseExpiresAt: reader.u64() };
  },
};
