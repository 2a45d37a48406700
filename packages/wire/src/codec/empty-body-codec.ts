import type { BodyCodec } from './body-codec';

/** For requests and responses that carry nothing beyond the header. */
export const emptyBodyCodec: BodyCodec<void> = {
  encode() {},
  decode() {},
};
