import type { BodyCodec } from '../../codec/body-codec';

export interface UnregisterClientRequest {
  group: string;
  clientId: string;
}

/** group | clientId. Empty response. */
export const unregisterClientRequestCodec: BodyCodec<UnregisterClientRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.clientId);
  },
  decode(reader) {
    return { group: reader.string(), clientId: reader.string() };
  },
};
