import type { BodyCodec } from '../../codec/body-codec';

/** Groups with live members or committed offsets. The request has an empty body. */
export interface ListGroupsResponse {
  groups: string[];
}

/** count u16 | group names. */
export const listGroupsResponseCodec: BodyCodec<ListGroupsResponse> = {
  encode(writer, response) {
    writer.stringList(response.groups);
  },
  decode(reader) {
    return { groups: reader.stringList() };
  },
};
