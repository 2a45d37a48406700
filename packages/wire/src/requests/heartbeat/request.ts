import type { BodyCodec } from '../../codec/body-codec';
import { WireFormatError } from '../../frame/wire-format-error';

export type WireMessageModel = 'CLUSTERING' | 'BROADCASTING';

export interface HeartbeatRequest {
  group: string;
  clientId: string;
  topics: string[];
  messageModel: WireMessageModel;
}

const MODELS: readonly WireMessageModel[] = ['CLUSTERING', 'BROADCASTING'];

/** group | clientId | topics | messageModel u8 (0 CLUSTERING, 1 BROADCASTING). Empty response. */
export const heartbeatRequestCodec: BodyCodec<HeartbeatRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.clientId);
    writer.stringList(request.topics);
    writer.u8(MODELS.indexOf(request.messageModel));
  },
  decode(reader) {
    const group = reader.string();
    const clientId = reader.string();
    const topics = reader.stringList();
    const modelByte = reader.u8();
    const messageModel = MODELS[modelByte];
    if (!messageModel) throw new WireFormatError(`unknown message model ${modelByte}`);
    return { group, clientId, topics, messageModel };
  },
};
