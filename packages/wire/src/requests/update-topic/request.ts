import type { BodyCodec } from '../../codec/body-codec';
import { createTopicRequestCodec, type CreateTopicRequest } from '../create-topic/request';

/** The topic's name and the fields to change; absent fields keep their value. */
export type UpdateTopicRequest = CreateTopicRequest;

/** Same layout as CREATE_TOPIC. The response is the updated topic (topicInfoCodec). */
export const updateTopicRequestCodec: BodyCodec<UpdateTopicRequest> = createTopicRequestCodec;
