import type { Broker } from '@tessera/kernel';
import {
  describeGroupRequestCodec,
  describeGroupResponseCodec,
  RequestCode,
  type DescribeGroupRequest,
  type DescribeGroupResponse,
  type GroupMemberInfo,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class DescribeGroupHandler implements RequestHandler<DescribeGroupRequest, DescribeGroupResponse> {
  readonly code = RequestCode.DESCRIBE_GROUP;
  readonly requestCodec = describeGroupRequestCodec;
  readonly responseCodec = describeGroupResponseCodec;

  constructor(private readonly broker: Broker) {}

  /** GROUP_NOT_FOUND and TOPIC_NOT_FOUND come from groupProgress. */
  async handle(request: DescribeGroupRequest): Promise<DescribeGroupResponse> {
    const queues = await this.broker.groupProgress(request.group, request.topic);
    const members = await this.broker.groupMembers(request.group);
    return {
      members: members.map((m) => {
        const member: GroupMemberInfo = { clientId: m.clientId, messageModel: m.messageModel, topics: [...m.topics], lastHeartbeatAt: m.lastHeartbeatAt };
        if (m.allocationStrategy !== undefined) member.allocationStrategy = m.allocationStrategy;
        return member;
      }),
      queues,
    };
  }

  estimateResponseBytes(response: DescribeGroupResponse): number {
    return 64 + response.members.length * 128 + response.queues.length * 96;
  }
}
