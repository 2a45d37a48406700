import type { BodyCodec } from '../../codec/body-codec';
import type { TopicInfo } from '../../codec/topic-info';
import { topicInfoCodec } from '../../codec/topic-info-codec';

export interface QueueOffsets {
  queueId: number;
  minOffset: number;
  maxOffset: number;
}

export interface DescribeTopicResponse {
  topic: TopicInfo;
  queues: QueueOffsets[];
}

/** topic (topicInfoCodec) | count u16 | (queueId u16 | minOffset u64 | maxOffset u64) each. */
export const describeTopicResponseCodec: BodyCodec<DescribeTopicResponse> = {
  encode(writer, response) {
    topicInfoCodec.encode(writer, response.topic);
    writer.u16(response.queues.length);
    for (const queue of response.queues) {
      writer.u16(queue.queueId);
      writer.u64(queue.minOffset);
      writer.u64(queue.maxOffset);
    }
  },
  decode(reader) {
    const topic = topicInfoCodec.decode(reader);
    const count = reader.u16();
    const queues: QueueOffsets[] = new Array(count);
    for (let i = 0; i < count; i++) queues[i] = { queueId: reader.u16(), minOffset: reader.u64(), maxOffset: reader.u64() };
    return { topic, queues };
  },
};
