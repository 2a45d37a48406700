import type { BodyCodec } from '../../codec/body-codec';

export interface SendBatchResult {
  msgId: string;
  queueId: number;
  queueOffset: number;
}

/** The stored position of every message, in batch order. */
export interface SendBatchResponse {
  results: SendBatchResult[];
}

/** count u32 | (msgId | queueId u32 | queueOffset u64) per message. */
export const sendBatchResponseCodec: BodyCodec<SendBatchResponse> = {
  encode(writer, response) {
    writer.u32(response.results.length);
    for (const result of response.results) {
      writer.string(result.msgId);
      writer.u32(result.queueId);
      writer.u64(result.queueOffset);
    }
  },
  decode(reader) {
    const count = reader.count(14);
    const results: SendBatchResult[] = new Array(count);
    for (let i = 0; i < count; i++) results[i] = { msgId: reader.string(), queueId: reader.u32(), queueOffset: reader.u64() };
    return { results };
  },
};
