import type { BodyCodec } from '../../codec/body-codec';
import { WireFormatError } from '../../frame/wire-format-error';
import type { WireMessageModel } from '../heartbeat/request';

export interface GroupMemberInfo {
  clientId: string;
  messageModel: WireMessageModel;
  topics: string[];
  lastHeartbeatAt: number;
}

export interface GroupQueueLag {
  queueId: number;
  /** Undefined when the group never committed on this queue. */
  committedOffset?: number;
  maxOffset: number;
  /** maxOffset minus the committed offset (or minus minOffset when nothing was committed). */
  lag: number;
}

export interface DescribeGroupResponse {
  members: GroupMemberInfo[];
  queues: GroupQueueLag[];
}

const MODELS: readonly WireMessageModel[] = ['CLUSTERING', 'BROADCASTING'];

/**
 * members: count u16 | (clientId | model u8 | topics | lastHeartbeatAt u64) each;
 * queues: count u16 | (queueId u16 | optional committedOffset | maxOffset u64 | lag u64) each.
 */
export const describeGroupResponseCodec: BodyCodec<DescribeGroupResponse> = {
  encode(writer, response) {
    writer.u16(response.members.length);
    for (const member of response.members) {
      writer.string(member.clientId);
      writer.u8(MODELS.indexOf(member.messageModel));
      writer.stringList(member.topics);
      writer.u64(member.lastHeartbeatAt);
    }
    writer.u16(response.queues.length);
    for (const queue of response.queues) {
      writer.u16(queue.queueId);
      writer.optionalU64(queue.committedOffset);
      writer.u64(queue.maxOffset);
      writer.u64(queue.lag);
    }
  },
  decode(reader) {
    const memberCount = reader.u16();
    const members: GroupMemberInfo[] = new Array(memberCount);
    for (let i = 0; i < memberCount; i++) {
      const clientId = reader.string();
      const modelByte = reader.u8();
      const messageModel = MODELS[modelByte];
      if (!messageModel) throw new WireFormatError(`unknown message model ${modelByte}`);
      members[i] = { clientId, messageModel, topics: reader.stringList(), lastHeartbeatAt: reader.u64() };
    }
    const queueCount = reader.u16();
    const queues: GroupQueueLag[] = new Array(queueCount);
    for (let i = 0; i < queueCount; i++) {
      const queueId = reader.u16();
      const committedOffset = reader.optionalU64();
      const queue: GroupQueueLag = { queueId, maxOffset: reader.u64(), lag: reader.u64() };
      if (committedOffset !== undefined) queue.committedOffset = committedOffset;
      queues[i] = queue;
    }
    return { members, queues };
  },
};
