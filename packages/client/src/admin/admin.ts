import {
  createTopicRequestCodec,
  deleteTopicRequestCodec,
  describeGroupRequestCodec,
  describeGroupResponseCodec,
  describeTopicRequestCodec,
  describeTopicResponseCodec,
  emptyBodyCodec,
  getMessageByIdRequestCodec,
  getMessageByIdResponseCodec,
  listGroupsResponseCodec,
  listTopicsRequestCodec,
  listTopicsResponseCodec,
  queryMessagesByKeyRequestCodec,
  queryMessagesByKeyResponseCodec,
  queryMessagesByTimeRequestCodec,
  queryMessagesByTimeResponseCodec,
  RequestCode,
  resetOffsetRequestCodec,
  resetOffsetResponseCodec,
  topicInfoCodec,
  updateTopicRequestCodec,
  type CreateTopicRequest,
  type DescribeGroupResponse,
  type QueueOffsets,
  type TopicInfo,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import { TesseraClientError } from '../errors/tessera-client-error';
import type { ReceivedMessage } from '../message/received-message';

const DEFAULT_SERVER = '127.0.0.1:10911';

export type TopicUpdate = Omit<CreateTopicRequest, 'name'>;

/** Where resetOffset moves a group: the same offset on every queue, or a point in time (epoch ms). */
export type OffsetResetTarget = { toOffset: number } | { toTimestamp: number };

/** Topic, message and group administration. */
export class Admin {
  private readonly connection: BrokerConnection;

  constructor(options: { server?: string; requestTimeoutMs?: number } = {}) {
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: options.requestTimeoutMs ?? 5000 });
  }

  start(): Promise<void> {
    return this.connection.open();
  }

  shutdown(): Promise<void> {
    return this.connection.close();
  }

  createTopic(spec: CreateTopicRequest): Promise<TopicInfo> {
    return this.connection.request(RequestCode.CREATE_TOPIC, createTopicRequestCodec, spec, topicInfoCodec);
  }

  updateTopic(name: string, update: TopicUpdate): Promise<TopicInfo> {
    return this.connection.request(RequestCode.UPDATE_TOPIC, updateTopicRequestCodec, { ...update, name }, topicInfoCodec);
  }

  deleteTopic(name: string): Promise<void> {
    return this.connection.request(RequestCode.DELETE_TOPIC, deleteTopicRequestCodec, { name }, emptyBodyCodec);
  }

  async listTopics(includeSystem = true): Promise<TopicInfo[]> {
    return (await this.connection.request(RequestCode.LIST_TOPICS, listTopicsRequestCodec, { includeSystem }, listTopicsResponseCodec)).topics;
  }

  async describeTopic(name: string): Promise<TopicInfo & { queues: QueueOffsets[] }> {
    const response = await this.connection.request(RequestCode.DESCRIBE_TOPIC, describeTopicRequestCodec, { name }, describeTopicResponseCodec);
    return { ...response.topic, queues: response.queues };
  }

  async getMessageById(msgId: string): Promise<ReceivedMessage> {
    const response = await this.connection.request(RequestCode.GET_MESSAGE_BY_ID, getMessageByIdRequestCodec, { msgId }, getMessageByIdResponseCodec);
    return response.message;
  }

  async queryMessagesByKey(topic: string, key: string, maxCount = 32): Promise<ReceivedMessage[]> {
    const response = await this.connection.request(
      RequestCode.QUERY_MESSAGES_BY_KEY,
      queryMessagesByKeyRequestCodec,
      { topic, key, maxCount },
      queryMessagesByKeyResponseCodec,
    );
    return response.messages;
  }

  /**
   * Messages of a topic stored from `from` to `to` (both inclusive), oldest first within each queue,
   * queue by queue; at most `maxCount` (the broker answers at most 1024 at once: page by time).
   */
  async queryMessagesByTime(topic: string, from: Date | number, to: Date | number, maxCount = 32): Promise<ReceivedMessage[]> {
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new TesseraClientError('BAD_ARGUMENT', `maxCount must be a whole number ≥ 1, got ${maxCount}`);
    const response = await this.connection.request(
      RequestCode.QUERY_MESSAGES_BY_TIME,
      queryMessagesByTimeRequestCodec,
      { topic, beginTimestamp: epochMs('from', from), endTimestamp: epochMs('to', to), maxCount },
      queryMessagesByTimeResponseCodec,
    );
    return response.messages;
  }

  async listGroups(): Promise<string[]> {
    return (await this.connection.request(RequestCode.LIST_GROUPS, emptyBodyCodec, undefined, listGroupsResponseCodec)).groups;
  }

  /** Members (with their allocation strategy) and, per queue, committed offset, lag and owner; of one topic or all the group uses. */
  describeGroup(group: string, topic?: string): Promise<DescribeGroupResponse> {
    const request = topic === undefined ? { group } : { group, topic };
    return this.connection.request(RequestCode.DESCRIBE_GROUP, describeGroupRequestCodec, request, describeGroupResponseCodec);
  }

  /**
   * Moves the group's committed offset on every queue of the topic; running members release the
   * queues and restart them from there. A timestamp moves each queue to its first message stored
   * at or after it. Returns where each queue now stands.
   */
  async resetOffset(group: string, topic: string, target: OffsetResetTarget): Promise<Array<{ queueId: number; offset: number }>> {
    const request = 'toOffset' in target ? { group, topic, toOffset: target.toOffset } : { group, topic, toTimestamp: target.toTimestamp };
    return (await this.connection.request(RequestCode.RESET_OFFSET, resetOffsetRequestCodec, request, resetOffsetResponseCodec)).queues;
  }
}

function epochMs(name: string, time: Date | number): number {
  const ms = time instanceof Date ? time.getTime() : time;
  if (!Number.isSafeInteger(ms) || ms < 0) throw new TesseraClientError('BAD_ARGUMENT', `${name} must be a valid time at or after 1970, got ${String(time)}`);
  return ms;
}
