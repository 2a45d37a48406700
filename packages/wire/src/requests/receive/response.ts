import type { BodyCodec } from '../../codec/body-codec';
import type { WireLeasedMessage } from '../../codec/wire-leased-message';
import { wireLeasedMessageListCodec } from '../../codec/wire-leased-message-list-codec';

/** The leased messages; empty when nothing became visible within the wait. */
export interface ReceiveResponse {
  messages: WireLeasedMessage[];
}

/** count u32 | (stored message | receipt | deliveryCount u32 | leaseExpiresAt u64) each. */
export const receiveResponseCodec: BodyCodec<ReceiveResponse> = {
  encode(writer, response) {
    wireLeasedMessageListCodec.encode(writer, response.messages);
  },
  decode(reader) {
    return { messages: wireLeasedMessageListCodec.decode(reader) };
  },
};
