import type { BodyCodec } from '../../codec/body-codec';
import type { WireStoredMessage } from '../../codec/wire-stored-message';
import { wireStoredMessageCodec } from '../../codec/wire-stored-message-codec';

/** One half message whose local transaction the broker asks about. */
export interface WireTransactionCheck {
  transactionId: string;
  halfMsgId: string;
  /** The half message with its real topic and queue; id, offset and store time are the half's. */
  message: WireStoredMessage;
}

export interface PollTransactionChecksResponse {
  checks: WireTransactionCheck[];
}

const CHECK_FIXED_BYTES = 2 + 2 + wireStoredMessageCodec.FIXED_BYTES;

/** count u32, then per check: transactionId | halfMsgId | stored message. */
export const pollTransactionChecksResponseCodec: BodyCodec<PollTransactionChecksResponse> = {
  encode(writer, response) {
    writer.u32(response.checks.length);
    for (const check of response.checks) {
      writer.string(check.transactionId);
      writer.string(check.halfMsgId);
      wireStoredMessageCodec.encode(writer, check.message);
    }
  },
  decode(reader) {
    const count = reader.count(CHECK_FIXED_BYTES);
    const checks: WireTransactionCheck[] = new Array(count);
    for (let i = 0; i < count; i++) {
      checks[i] = { transactionId: reader.string(), halfMsgId: reader.string(), message: wireStoredMessageCodec.decode(reader) };
    }
    return { checks };
  },
};
