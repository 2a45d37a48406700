import { inject, injectable, multiInject } from 'inversify';
import { PullWaiters } from '../dispatch/pull-waiters';
import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import { MessageHooks } from '../hooks/message-hooks';
import { readFilterFor } from '../hooks/read-filter-for';
import { StorageEngine, type ReadFilter } from '../storage/storage-engine';
import type { TopicConfig } from '../topic/topic-config';
import { readableTopic } from '../topic/readable-topic';
import { TopicRegistry } from '../topic/topic-registry';
import type { BrowseRequest } from './browse-request';
import type { BrowsedMessage } from './browsed-message';
import { PopService } from './pop-service';
import type { ReadBudget } from './read-budget';
import { validateReadBounds } from './validate-receive-request';

/** Most messages one browse returns, whatever it asks for. */
const MAX_BROWSE_COUNT = 1024;

/**
 * Browsing a per-message-ack group's queues: reads every message the group has not acked
 * (waiting, leased to a consumer or due for redelivery) from the browser's own positions, and
 * changes nothing: no lease, no journal entry, no group state created. A browser sees a message
 * once (redeliveries do not move its positions back) and, once at the end, waits for new ones.
 */
@injectable()
export class QueueBrowser {
  private readonly filterHooks: MessageHooks[];

  constructor(
    @inject(TopicRegistry) private readonly topics: TopicRegistry,
    @inject(StorageEngine) private readonly storage: StorageEngine,
    @inject(PullWaiters) private readonly waiters: PullWaiters,
    @inject(PopService) private readonly pop: PopService,
    @multiInject(MessageHooks) hooks: MessageHooks[],
  ) {
    this.filterHooks = hooks.filter((h) => h.createReadFilter);
  }

  async browse(request: BrowseRequest): Promise<BrowsedMessage[]> {
    if (typeof request.group !== 'string' || request.group.length === 0) throw new TesseraError(ErrorCode.BAD_REQUEST, 'a browse needs a group');
    validateReadBounds(request);
    const topic = readableTopic(this.topics, request.topic);
    const filter = request.subscription ? readFilterFor(this.filterHooks, request.subscription) : undefined;
    const deadline = Date.now() + (request.maxWaitMs ?? 0);
    for (;;) {
      const seen: BrowsedMessage[] = [];
      const movedOn = await this.collect(request, topic, filter, seen);
      if (seen.length > 0 || request.signal?.aborted) return seen;
      // A pass that found only acked messages moved the positions on: look further before waiting.
      if (movedOn) continue;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return seen;
      await this.waiters.waitTopic(request.topic, remaining, request.signal);
    }
  }

  /** One read per queue from the browser's position, keeping what the group has not acked; whether a read moved a position on. */
  private async collect(request: BrowseRequest, topic: TopicConfig, filter: ReadFilter | undefined, seen: BrowsedMessage[]): Promise<boolean> {
    const budget: ReadBudget = { count: Math.min(request.maxCount, MAX_BROWSE_COUNT), bytes: request.maxBytes ?? Number.MAX_SAFE_INTEGER };
    let movedOn = false;
    for (let queueId = 0; queueId < topic.readQueueCount && budget.count > 0 && budget.bytes > 0; queueId++) {
      if (await this.collectFrom(request, queueId, filter, budget, seen)) movedOn = true;
    }
    return movedOn;
  }

  /** Reads a queue from where the browser is, past what the group acked and the log dropped; whether its position moved on. */
  private async collectFrom(
    request: BrowseRequest,
    queueId: number,
    filter: ReadFilter | undefined,
    budget: ReadBudget,
    seen: BrowsedMessage[],
  ): Promise<boolean> {
    const { topic, positions } = request;
    const range = this.storage.queueRange(topic, queueId);
    const group = this.pop.queueState(request.group, topic, queueId);
    const offset = Math.max(positions.get(queueId) ?? range.minOffset, group?.ackedUpTo ?? range.minOffset, range.minOffset);
    if (offset >= range.maxOffset) return false;
    let read = await this.storage.read({ topic, queueId, offset, maxCount: budget.count, maxBytes: budget.bytes, filter });
    if (read.status === 'OFFSET_TOO_SMALL') {
      read = await this.storage.read({ topic, queueId, offset: read.minOffset, maxCount: budget.count, maxBytes: budget.bytes, filter });
    }
    if (read.status !== 'FOUND' && read.status !== 'NO_MATCHED_MESSAGE') return false;
    positions.set(queueId, read.nextOffset);
    for (const message of read.messages) {
      if (group?.isAcked(message.queueOffset)) continue;
      seen.push({ message, deliveryCount: group?.deliveryCountAt(message.queueOffset) ?? 0 });
      budget.count--;
      budget.bytes -= message.body.length;
    }
    return read.nextOffset > offset;
  }
}
