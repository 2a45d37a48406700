import type { Broker } from '@tessera/kernel';
import { emptyBodyCodec, listGroupsResponseCodec, RequestCode, type ListGroupsResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

/** Groups with live members or committed offsets. */
export class ListGroupsHandler implements RequestHandler<void, ListGroupsResponse> {
  readonly code = RequestCode.LIST_GROUPS;
  readonly requestCodec = emptyBodyCodec;
  readonly responseCodec = listGroupsResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(): Promise<ListGroupsResponse> {
    return { groups: await this.broker.listGroups() };
  }

  estimateResponseBytes(response: ListGroupsResponse): number {
    return 4 + response.groups.reduce((sum, g) => sum + 2 + g.length * 3, 0);
  }
}
