import type { BodyCodec } from '../../codec/body-codec';
import { topicPermissionCodec, type WireTopicPermission } from '../../codec/topic-permission-codec';

export interface GetRouteResponse {
  writeQueueCount: number;
  readQueueCount: number;
  permission: WireTopicPermission;
}

/** writeQueueCount u16 | readQueueCount u16 | permission u8. */
export const getRouteResponseCodec: BodyCodec<GetRouteResponse> = {
  encode(writer, response) {
    writer.u16(response.writeQueueCount);
    writer.u16(response.readQueueCount);
    topicPermissionCodec.encode(writer, response.permission);
  },
  decode(reader) {
    return { writeQueueCount: reader.u16(), readQueueCount: reader.u16(), permission: topicPermissionCodec.decode(reader) };
  },
};
