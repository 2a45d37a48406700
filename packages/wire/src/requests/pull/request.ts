import type { BodyCodec } from '../../codec/body-codec';
import { WireFormatError } from '../../frame/wire-format-error';

export type WireExpressionType = 'TAG' | 'SQL92';

export interface PullRequest {
  /** The pulling group, for broker-side filtering; optional for plain pulls. */
  group?: string;
  topic: string;
  queueId: number;
  offset: number;
  maxCount: number;
  maxBytes: number;
  /** Hold the pull this long when nothing is there yet (0 = answer at once). */
  maxWaitMs: number;
  subscription?: { expressionType: WireExpressionType; expression: string };
}

const EXPRESSION_TYPES: readonly (WireExpressionType | undefined)[] = [undefined, 'TAG', 'SQL92'];

/**
 * group | topic | queueId u32 | offset u64 | maxCount u32 | maxBytes u32 | maxWaitMs u32 |
 * expression type u8 (0 none, 1 TAG, 2 SQL92) | expression.
 */
export const pullRequestCodec: BodyCodec<PullRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.u32(request.queueId);
    writer.u64(request.offset);
    writer.u32(request.maxCount);
    writer.u32(request.maxBytes);
    writer.u32(request.maxWaitMs);
    writer.u8(request.subscription ? EXPRESSION_TYPES.indexOf(request.subscription.expressionType) : 0);
    writer.string(request.subscription?.expression);
  },
  decode(reader) {
    const group = reader.optionalString();
    const topic = reader.string();
    const queueId = reader.u32();
    const offset = reader.u64();
    const maxCount = reader.u32();
    const maxBytes = reader.u32();
    const maxWaitMs = reader.u32();
    const typeByte = reader.u8();
    const expression = reader.string();
    if (typeByte >= EXPRESSION_TYPES.length) throw new WireFormatError(`unknown subscription expression type ${typeByte}`);
    const expressionType = EXPRESSION_TYPES[typeByte];
    const request: PullRequest = { group, topic, queueId, offset, maxCount, maxBytes, maxWaitMs };
    if (expressionType) request.subscription = { expressionType, expression };
    return request;
  },
};
