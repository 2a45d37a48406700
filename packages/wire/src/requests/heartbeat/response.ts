import type { BodyCodec } from '../../codec/body-codec';

export interface HeartbeatResponse {
  /**
   * The group session timeout: a member that has not renewed for this long is gone, so a client
   * stops consuming its queues once this much time passed since its last answered heartbeat.
   */
  sessionTimeoutMs: number;
}

/** sessionTimeoutMs u32. */
export const heartbeatResponseCodec: BodyCodec<HeartbeatResponse> = {
  encode(writer, response) {
    writer.u32(response.sessionTimeoutMs);
  },
  decode(reader) {
    return { sessionTimeoutMs: reader.u32() };
  },
};
