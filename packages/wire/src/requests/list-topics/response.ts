import type { BodyCodec } from '../../codec/body-codec';
import type { TopicInfo } from '../../codec/topic-info';
import { topicInfoCodec } from '../../codec/topic-info-codec';

export interface ListTopicsResponse {
  topics: TopicInfo[];
}

/** count u32 | topics (topicInfoCodec). */
export const listTopicsResponseCodec: BodyCodec<ListTopicsResponse> = {
  encode(writer, response) {
    writer.u32(response.topics.length);
    for (const topic of response.topics) topicInfoCodec.encode(writer, topic);
  },
  decode(reader) {
    const count = reader.count(16);
    const topics: TopicInfo[] = new Array(count);
    for (let i = 0; i < count; i++) topics[i] = topicInfoCodec.decode(reader);
    return { topics };
  },
};
