import type { Broker } from '@tessera/kernel';
import { ErrorCode, TesseraError } from '@tessera/kernel';
import {
  describeGroupRequestCodec,
  describeGroupResponseCodec,
  RequestCode,
  type DescribeGroupRequest,
  type DescribeGroupResponse,
  type GroupQueueLag,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class DescribeGroupHandler implements RequestHandler<DescribeGroupRequest, DescribeGroupResponse> {
  readonly code = RequestCode.DESCRIBE_GROUP;
  readonly requestCodec = describeGroupRequestCodec;
  readonly responseCodec = describeGroupResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: DescribeGroupRequest): Promise<DescribeGroupResponse> {
    const topic = this.broker.topics.require(request.topic);
    const members = await this.broker.groupMembers(request.group);
    if (members.length === 0 && !this.broker.offsets.groups().includes(request.group)) {
      throw new TesseraError(ErrorCode.GROUP_NOT_FOUND, `group "${request.group}" has no members and no committed offsets`);
    }
    const queues: GroupQueueLag[] = [];
    for (let queueId = 0; queueId < topic.readQueueCount; queueId++) {
      const range = this.broker.queueRange(topic.name, queueId);
      const committedOffset = this.broker.committedOffset(request.group, topic.name, queueId);
      const lag = Math.max(0, range.maxOffset - (committedOffset ?? range.minOffset));
      queues.push(committedOffset === undefined ? { queueId, maxOffset: range.maxOffset, lag } : { queueId, committedOffset, maxOffset: range.maxOffset, lag });
    }
    return {
      members: members.map((m) => ({ clientId: m.clientId, messageModel: m.messageModel, topics: [...m.topics], lastHeartbeatAt: m.lastHeartbeatAt })),
      queues,
    };
  }

  estimateResponseBytes(response: DescribeGroupResponse): number {
    return 64 + response.members.length * 128 + response.queues.length * 30;
  }
}
