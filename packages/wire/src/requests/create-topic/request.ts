import type { BodyCodec } from '../../codec/body-codec';
import { topicPermissionCodec, type WireTopicPermission } from '../../codec/topic-permission-codec';

export interface CreateTopicRequest {
  name: string;
  writeQueueCount?: number;
  readQueueCount?: number;
  permission?: WireTopicPermission;
}

const PRESENT_WRITE = 1;
const PRESENT_READ = 2;
const PRESENT_PERMISSION = 4;

/**
 * name | presence bits u8 (1 write count, 2 read count, 4 permission) | writeQueueCount u16 |
 * readQueueCount u16 | permission u8 — absent fields are 0 and take the broker's defaults.
 * Also UPDATE_TOPIC's body. The response is the topic (topicInfoCodec).
 */
export const createTopicRequestCodec: BodyCodec<CreateTopicRequest> = {
  encode(writer, request) {
    writer.string(request.name);
    writer.u8(
      (request.writeQueueCount !== undefined ? PRESENT_WRITE : 0) |
        (request.readQueueCount !== undefined ? PRESENT_READ : 0) |
        (request.permission !== undefined ? PRESENT_PERMISSION : 0),
    );
    writer.u16(request.writeQueueCount ?? 0);
    writer.u16(request.readQueueCount ?? 0);
    topicPermissionCodec.encode(writer, request.permission ?? 'none');
  },
  decode(reader) {
    const request: CreateTopicRequest = { name: reader.string() };
    const present = reader.u8();
    const writeQueueCount = reader.u16();
    const readQueueCount = reader.u16();
    const permission = topicPermissionCodec.decode(reader);
    if (present & PRESENT_WRITE) request.writeQueueCount = writeQueueCount;
    if (present & PRESENT_READ) request.readQueueCount = readQueueCount;
    if (present & PRESENT_PERMISSION) request.permission = permission;
    return request;
  },
};
