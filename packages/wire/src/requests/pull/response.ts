import type { BodyCodec } from '../../codec/body-codec';
import type { WireStoredMessage } from '../../codec/wire-stored-message';
import { wireStoredMessageListCodec } from '../../codec/wire-stored-message-list-codec';
import { WireFormatError } from '../../frame/wire-format-error';

export type WirePullStatus = 'FOUND' | 'NO_NEW_MESSAGE' | 'NO_MATCHED_MESSAGE' | 'OFFSET_TOO_SMALL' | 'OFFSET_OVERFLOW' | 'NO_QUEUE';

export interface PullResponse {
  status: WirePullStatus;
  nextOffset: number;
  minOffset: number;
  maxOffset: number;
  messages: WireStoredMessage[];
}

const STATUSES: readonly WirePullStatus[] = ['FOUND', 'NO_NEW_MESSAGE', 'NO_MATCHED_MESSAGE', 'OFFSET_TOO_SMALL', 'OFFSET_OVERFLOW', 'NO_QUEUE'];

/** status u8 | nextOffset u64 | minOffset u64 | maxOffset u64 | messages. */
export const pullResponseCodec: BodyCodec<PullResponse> = {
  encode(writer, response) {
    writer.u8(STATUSES.indexOf(response.status));
    writer.u64(response.nextOffset);
    writer.u64(response.minOffset);
    writer.u64(response.maxOffset);
    wireStoredMessageListCodec.encode(writer, response.messages);
  },
  decode(reader) {
    const statusByte = reader.u8();
    const status = STATUSES[statusByte];
    if (!status) throw new WireFormatError(`unknown pull status ${statusByte}`);
    return {
      status,
      nextOffset: reader.u64(),
      minOffset: reader.u64(),
      maxOffset: reader.u64(),
      messages: wireStoredMessageListCodec.decode(reader),
    };
  },
};
