import type { BodyCodec } from '../../codec/body-codec';
import { queueIdListCodec } from '../../codec/queue-id-list-codec';

/**
 * A group member tells the broker which queues of a topic it consumes and learns which it owns
 * and which it must release. Queues are handed over only after their previous owner released
 * them, so two members never consume one queue at once.
 */
export interface SyncAssignmentRequest {
  group: string;
  topic: string;
  clientId: string;
  /** Queues the member is consuming right now. */
  held: number[];
  /** The generation the member last saw; while it is current the broker holds the sync. */
  knownGeneration?: number;
  /** How long the broker may hold the sync waiting for a change (0 = answer at once). */
  maxWaitMs: number;
}

/** group | topic | clientId | held (count u16 | queueId u16 each) | optional knownGeneration u64 | maxWaitMs u32. */
export const syncAssignmentRequestCodec: BodyCodec<SyncAssignmentRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.string(request.clientId);
    queueIdListCodec.encode(writer, request.held);
    writer.optionalU64(request.knownGeneration);
    writer.u32(request.maxWaitMs);
  },
  decode(reader) {
    const group = reader.string();
    const topic = reader.string();
    const clientId = reader.string();
    const held = queueIdListCodec.decode(reader);
    const knownGeneration = reader.optionalU64();
    const maxWaitMs = reader.u32();
    return knownGeneration === undefined
      ? { group, topic, clientId, held, maxWaitMs }
      : { group, topic, clientId, held, knownGeneration, maxWaitMs };
  },
};
