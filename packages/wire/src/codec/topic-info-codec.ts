import type { BodyCodec } from './body-codec';
import type { TopicInfo } from './topic-info';
import { topicPermissionCodec } from './topic-permission-codec';

/** name | writeQueueCount u16 | readQueueCount u16 | permission u8 | system u8 | createdAt u64. */
export const topicInfoCodec: BodyCodec<TopicInfo> = {
  encode(writer, topic) {
    writer.string(topic.name);
    writer.u16(topic.writeQueueCount);
    writer.u16(topic.readQueueCount);
    topicPermissionCodec.encode(writer, topic.permission);
    writer.bool(topic.system);
    writer.u64(topic.createdAt);
  },
  decode(reader) {
    return {
      name: reader.string(),
      writeQueueCount: reader.u16(),
      readQueueCount: reader.u16(),
      permission: topicPermissionCodec.decode(reader),
      system: reader.bool(),
      createdAt: reader.u64(),
    };
  },
};
