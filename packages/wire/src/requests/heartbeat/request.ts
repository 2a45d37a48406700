import type { BodyCodec } from '../../codec/body-codec';
import { wireMessageModelCodec, type WireMessageModel } from '../../codec/wire-message-model-codec';

export interface HeartbeatRequest {
  group: string;
  clientId: string;
  topics: string[];
  messageModel: WireMessageModel;
  /** Name of the queue allocation strategy the member asks for; the broker's default when absent. */
  allocationStrategy?: string;
}

/** group | clientId | topics | messageModel u8 (0 CLUSTERING, 1 BROADCASTING) | allocationStrategy ('' = absent). */
export const heartbeatRequestCodec: BodyCodec<HeartbeatRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.clientId);
    writer.stringList(request.topics);
    wireMessageModelCodec.encode(writer, request.messageModel);
    writer.string(request.allocationStrategy);
  },
  decode(reader) {
    const request: HeartbeatRequest = {
      group: reader.string(),
      clientId: reader.string(),
      topics: reader.stringList(),
      messageModel: wireMessageModelCodec.decode(reader),
    };
    const allocationStrategy = reader.optionalString();
    if (allocationStrategy !== undefined) request.allocationStrategy = allocationStrategy;
    return request;
  },
};
