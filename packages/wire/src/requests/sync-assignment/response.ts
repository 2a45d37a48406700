import type { BodyCodec } from '../../codec/body-codec';
import { queueIdListCodec } from '../../codec/queue-id-list-codec';

export interface SyncAssignmentResponse {
  /** Changes whenever membership, allocation or ownership of the group's topic changes. */
  generation: number;
  /** Queues the member owns now: consume exactly these, from the committed offset. */
  owned: number[];
  /** Queues the member holds but must release: stop them, commit, sync again without them. */
  revoked: number[];
  /** Stop consuming owned queues when no heartbeat or sync was answered for this long. */
  sessionTimeoutMs: number;
}

/** generation u64 | owned (count u16 | queueId u16 each) | revoked (same) | sessionTimeoutMs u32. */
export const syncAssignmentResponseCodec: BodyCodec<SyncAssignmentResponse> = {
  encode(writer, response) {
    writer.u64(response.generation);
    queueIdListCodec.encode(writer, response.owned);
    queueIdListCodec.encode(writer, response.revoked);
    writer.u32(response.sessionTimeoutMs);
  },
  decode(reader) {
    return {
      generation: reader.u64(),
      owned: queueIdListCodec.decode(reader),
      revoked: queueIdListCodec.decode(reader),
      sessionTimeoutMs: reader.u32(),
    };
  },
};
