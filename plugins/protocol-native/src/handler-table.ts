import { inject, injectable } from 'inversify';
import { Broker } from '@tessera/kernel';
import { AckHandler } from './handlers/ack-handler';
import { ChangeInvisibleTimeHandler } from './handlers/change-invisible-time-handler';
import { CommitOffsetHandler } from './handlers/commit-offset-handler';
import { ConsumeFailedHandler } from './handlers/consume-failed-handler';
import { CreateTopicHandler } from './handlers/create-topic-handler';
import { DeleteTopicHandler } from './handlers/delete-topic-handler';
import { DescribeGroupHandler } from './handlers/describe-group-handler';
import { DescribeTopicHandler } from './handlers/describe-topic-handler';
import { EndTransactionHandler } from './handlers/end-transaction-handler';
import { GetMessageByIdHandler } from './handlers/get-message-by-id-handler';
import { GetRouteHandler } from './handlers/get-route-handler';
import { HeartbeatHandler } from './handlers/heartbeat-handler';
import { ListGroupsHandler } from './handlers/list-groups-handler';
import { ListTopicsHandler } from './handlers/list-topics-handler';
import { NackHandler } from './handlers/nack-handler';
import { PollTransactionChecksHandler } from './handlers/poll-transaction-checks-handler';
import { PullHandler } from './handlers/pull-handler';
import { QueryMessagesByKeyHandler } from './handlers/query-messages-by-key-handler';
import { QueryMessagesByTimeHandler } from './handlers/query-messages-by-time-handler';
import { QueryOffsetHandler } from './handlers/query-offset-handler';
import { QueueRangeHandler } from './handlers/queue-range-handler';
import { ReceiveHandler } from './handlers/receive-handler';
import { ResetOffsetHandler } from './handlers/reset-offset-handler';
import { SearchOffsetByTimeHandler } from './handlers/search-offset-by-time-handler';
import { SendBatchHandler } from './handlers/send-batch-handler';
import { SyncAssignmentHandler } from './handlers/sync-assignment-handler';
import { UnregisterClientHandler } from './handlers/unregister-client-handler';
import { UpdateTopicHandler } from './handlers/update-topic-handler';
import type { RequestHandler } from './request-handler';

/** Request code → the handler serving it. */
@injectable()
export class HandlerTable {
  private readonly byCode = new Map<number, RequestHandler>();

  constructor(@inject(Broker) broker: Broker) {
    const handlers: RequestHandler[] = [
      new SendBatchHandler(broker),
      new PullHandler(broker),
      new CommitOffsetHandler(broker),
      new QueryOffsetHandler(broker),
      new QueueRangeHandler(broker),
      new SearchOffsetByTimeHandler(broker),
      new GetRouteHandler(broker),
      new HeartbeatHandler(broker),
      new UnregisterClientHandler(broker),
      new SyncAssignmentHandler(broker),
      new ConsumeFailedHandler(broker),
      new ReceiveHandler(broker),
      new AckHandler(broker),
      new NackHandler(broker),
      new ChangeInvisibleTimeHandler(broker),
      new CreateTopicHandler(broker),
      new UpdateTopicHandler(broker),
      new DeleteTopicHandler(broker),
      new ListTopicsHandler(broker),
      new DescribeTopicHandler(broker),
      new GetMessageByIdHandler(broker),
      new QueryMessagesByKeyHandler(broker),
      new QueryMessagesByTimeHandler(broker),
      new ListGroupsHandler(broker),
      new DescribeGroupHandler(broker),
      new ResetOffsetHandler(broker),
      new EndTransactionHandler(broker),
      new PollTransactionChecksHandler(broker),
    ];
    for (const handler of handlers) this.byCode.set(handler.code, handler);
  }

  get(code: number): RequestHandler | undefined {
    return this.byCode.get(code);
  }
}
