import type { BodyCodec } from '../../codec/body-codec';
import { wireMessageModelCodec, type WireMessageModel } from '../../codec/wire-message-model-codec';

export interface GroupMemberInfo {
  clientId: string;
  messageModel: WireMessageModel;
  topics: string[];
  lastHeartbeatAt: number;
  /** The allocation strategy the member asked for, if it named one. */
  allocationStrategy?: string;
}

/** One queue's consumption progress for the group. */
export interface WireQueueProgress {
  topic: string;
  queueId: number;
  /** Undefined when the group never committed on this queue. */
  committedOffset?: number;
  minOffset: number;
  maxOffset: number;
  /** maxOffset minus the committed offset (or minus minOffset when nothing was committed). */
  lag: number;
  /** Client id of the member consuming the queue now, if any. */
  owner?: string;
}

export interface DescribeGroupResponse {
  members: GroupMemberInfo[];
  queues: WireQueueProgress[];
}

const QUEUE_MIN_BYTES = 2 + 2 + 1 + 8 + 8 + 8 + 2;

/**
 * members: count u16 | (clientId | model u8 | topics | lastHeartbeatAt u64 | allocationStrategy) each;
 * queues: count u32 | (topic | queueId u16 | optional committedOffset | minOffset u64 | maxOffset u64 |
 * lag u64 | owner) each. An absent allocationStrategy or owner is the empty string.
 */
export const describeGroupResponseCodec: BodyCodec<DescribeGroupResponse> = {
  encode(writer, response) {
    writer.u16(response.members.length);
    for (const member of response.members) {
      writer.string(member.clientId);
      wireMessageModelCodec.encode(writer, member.messageModel);
      writer.stringList(member.topics);
      writer.u64(member.lastHeartbeatAt);
      writer.string(member.allocationStrategy);
    }
    writer.u32(response.queues.length);
    for (const queue of response.queues) {
      writer.string(queue.topic);
      writer.u16(queue.queueId);
      writer.optionalU64(queue.committedOffset);
      writer.u64(queue.minOffset);
      writer.u64(queue.maxOffset);
      writer.u64(queue.lag);
      writer.string(queue.owner);
    }
  },
  decode(reader) {
    const memberCount = reader.u16();
    const members: GroupMemberInfo[] = new Array(memberCount);
    for (let i = 0; i < memberCount; i++) {
      const member: GroupMemberInfo = {
        clientId: reader.string(),
        messageModel: wireMessageModelCodec.decode(reader),
        topics: reader.stringList(),
        lastHeartbeatAt: reader.u64(),
      };
      const allocationStrategy = reader.optionalString();
      if (allocationStrategy !== undefined) member.allocationStrategy = allocationStrategy;
      members[i] = member;
    }
    const queueCount = reader.count(QUEUE_MIN_BYTES);
    const queues: WireQueueProgress[] = new Array(queueCount);
    for (let i = 0; i < queueCount; i++) {
      const topic = reader.string();
      const queueId = reader.u16();
      const committedOffset = reader.optionalU64();
      const queue: WireQueueProgress = { topic, queueId, minOffset: reader.u64(), maxOffset: reader.u64(), lag: reader.u64() };
      if (committedOffset !== undefined) queue.committedOffset = committedOffset;
      const owner = reader.optionalString();
      if (owner !== undefined) queue.owner = owner;
      queues[i] = queue;
    }
    return { members, queues };
  },
};
