import { inject, injectable, multiInject } from 'inversify';
import { BrokerSettings } from '../config/broker-settings';
import { CoordinationService, type Disposable, type GroupMember } from '../coordination/coordination-service';
import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import { Logger } from '../logging/logger';
import { ConsumerOffsetStore } from '../offset/consumer-offset-store';
import { StorageEngine } from '../storage/storage-engine';
import { TopicRegistry } from '../topic/topic-registry';
import type { AssignmentSyncRequest, AssignmentSyncResult } from './assignment-sync';
import { AverageAllocationStrategy } from './average-allocation-strategy';
import type { OffsetResetTarget } from './offset-reset-target';
import { QueueAllocationStrategy } from './queue-allocation-strategy';
import type { QueueProgress } from './queue-progress';
import { queuesByMember } from './queues-by-member';
import { TopicAssignment } from './topic-assignment';

/**
 * Consumer groups in offset mode: allocation through the members' strategy, queue ownership
 * handed over only after release (so two members never consume one queue at once; ordered
 * consumption's queue lock is the same ownership), commit fencing, offset resets and progress.
 */
@injectable()
export class GroupCoordinator {
  /** Group → topic → assignment, kept while the topic has subscribed members in the group. */
  private readonly assignments = new Map<string, Map<string, TopicAssignment>>();
  private readonly strategies: ReadonlyMap<string, QueueAllocationStrategy>;
  private readonly defaultStrategy: QueueAllocationStrategy;
  private readonly warnedStrategies = new Set<string>();
  private membershipListener: Disposable | undefined;
  private stopped = false;
  private lastGeneration = 0;

  constructor(
    @inject(BrokerSettings) private readonly settings: BrokerSettings,
    @inject(CoordinationService) private readonly coordination: CoordinationService,
    @inject(TopicRegistry) private readonly topics: TopicRegistry,
    @inject(StorageEngine) private readonly storage: StorageEngine,
    @inject(ConsumerOffsetStore) private readonly offsets: ConsumerOffsetStore,
    @inject(Logger) private readonly logger: Logger,
    @multiInject(QueueAllocationStrategy) strategies: QueueAllocationStrategy[],
  ) {
    this.strategies = new Map(strategies.map((strategy) => [strategy.name, strategy]));
    this.defaultStrategy = this.strategies.get('average') ?? new AverageAllocationStrategy();
  }

  /** Group+topic pairs tracked now; a pair is forgotten once no member of the group subscribes to the topic. */
  get trackedAssignments(): number {
    let count = 0;
    for (const byTopic of this.assignments.values()) count += byTopic.size;
    return count;
  }

  start(): void {
    this.membershipListener = this.coordination.onGroupChange((group) => this.onMembershipChange(group));
  }

  /** Answers every held sync; later syncs answer at once. */
  stop(): void {
    this.stopped = true;
    this.membershipListener?.dispose();
    this.membershipListener = undefined;
    for (const byTopic of this.assignments.values()) for (const assignment of byTopic.values()) assignment.wakeWaiters();
  }

  async sync(request: AssignmentSyncRequest): Promise<AssignmentSyncResult> {
    const deadline = Date.now() + (request.maxWaitMs ?? 0);
    for (;;) {
      const members = await this.coordination.listGroupMembers(request.group);
      const queueCount = this.topics.require(request.topic).readQueueCount;
      const assignment = this.reconciledAssignment(request.group, request.topic, members, queueCount);
      const result = this.answer(request, members, queueCount, assignment);
      const remaining = deadline - Date.now();
      if (!assignment || !isAlreadyKnown(request, result) || remaining <= 0 || this.stopped || request.signal?.aborted) return result;
      await assignment.waitForChange(result.generation, remaining, request.signal);
    }
  }

  /** Throws TesseraError(QUEUE_NOT_OWNED) when `clientId` may not commit on the queue now. */
  checkCommit(group: string, topic: string, queueId: number, clientId: string): void {
    const assignment = this.assignments.get(group)?.get(topic);
    const owner = assignment?.ownerOf(queueId);
    if (!assignment || owner === undefined) return;
    if (owner !== clientId) {
      throw new TesseraError(
        ErrorCode.QUEUE_NOT_OWNED,
        `queue ${queueId} of topic "${topic}" is consumed by member "${owner}" of group "${group}", not by "${clientId}"`,
      );
    }
    if (assignment.isResetUnderOwner(queueId)) {
      throw new TesseraError(
        ErrorCode.QUEUE_NOT_OWNED,
        `the offsets of group "${group}" on queue ${queueId} of topic "${topic}" were reset; ` +
          'release the queue and resume from the reset offset',
      );
    }
  }

  async resetOffsets(group: string, topic: string, target: OffsetResetTarget): Promise<Array<{ queueId: number; offset: number }>> {
    const { readQueueCount } = this.topics.require(topic);
    validateResetTarget(target);
    const offsets = await Promise.all(
      Array.from({ length: readQueueCount }, (_, queueId) => {
        if ('timestamp' in target) return this.storage.offsetForTimestamp(topic, queueId, target.timestamp);
        const { minOffset, maxOffset } = this.storage.queueRange(topic, queueId);
        return Math.min(Math.max(target.offset, minOffset), maxOffset);
      }),
    );
    // Commits and fencing in one synchronous step, so no owner's commit lands between them.
    offsets.forEach((offset, queueId) => this.offsets.commit(group, topic, queueId, offset));
    this.assignments.get(group)?.get(topic)?.markOwnedQueuesReset();
    return offsets.map((offset, queueId) => ({ queueId, offset }));
  }

  async progress(group: string, topic?: string): Promise<QueueProgress[]> {
    const members = await this.coordination.listGroupMembers(group);
    const committedTopics = this.offsets.topicsOf(group);
    if (members.length === 0 && committedTopics.length === 0) {
      throw new TesseraError(ErrorCode.GROUP_NOT_FOUND, `consumer group "${group}" has no members and no committed offsets`);
    }
    if (topic !== undefined) this.topics.require(topic);
    this.reconcileGroup(group, members);
    const topics =
      topic !== undefined
        ? [topic]
        : [...new Set([...committedTopics, ...members.flatMap((m) => m.topics)])].filter((t) => this.topics.get(t)).sort();
    const progress: QueueProgress[] = [];
    for (const name of topics) {
      const assignment = this.assignments.get(group)?.get(name);
      const committed = this.offsets.forTopic(group, name);
      const queueCount = this.topics.get(name)!.readQueueCount;
      for (let queueId = 0; queueId < queueCount; queueId++) {
        const { minOffset, maxOffset } = this.storage.queueRange(name, queueId);
        const committedOffset = committed.get(queueId);
        progress.push({
          topic: name,
          queueId,
          committedOffset,
          minOffset,
          maxOffset,
          lag: Math.max(0, maxOffset - (committedOffset ?? minOffset)),
          owner: assignment?.ownerOf(queueId),
        });
      }
    }
    return progress;
  }

  private answer(
    request: AssignmentSyncRequest,
    members: readonly GroupMember[],
    queueCount: number,
    assignment: TopicAssignment | undefined,
  ): AssignmentSyncResult {
    const sessionTimeoutMs = this.settings.groupSessionTimeoutMs;
    const self = members.find((m) => m.clientId === request.clientId && m.topics.includes(request.topic));
    if (!self || !assignment) {
      return { generation: assignment?.generation ?? 0, owned: [], revoked: sortedUnique(request.held), sessionTimeoutMs };
    }
    if (self.messageModel === 'BROADCASTING') {
      const revoked = sortedUnique(request.held).filter((q) => !(Number.isInteger(q) && q >= 0 && q < queueCount));
      const owned = Array.from({ length: queueCount }, (_, queueId) => queueId);
      return { generation: assignment.generation, owned, revoked, sessionTimeoutMs };
    }
    const { owned, revoked } = assignment.claim(request.clientId, request.held);
    return { generation: assignment.generation, owned, revoked, sessionTimeoutMs };
  }

  private onMembershipChange(group: string): void {
    if (!this.assignments.has(group)) return;
    this.coordination.listGroupMembers(group).then(
      (members) => this.reconcileGroup(group, members),
      (error: unknown) => this.logger.error({ err: error, group }, 'reconciling a consumer group after a membership change failed'),
    );
  }

  private reconcileGroup(group: string, members: readonly GroupMember[]): void {
    for (const topic of [...(this.assignments.get(group)?.keys() ?? [])]) {
      this.reconciledAssignment(group, topic, members, this.topics.get(topic)?.readQueueCount ?? 0);
    }
  }

  /** The group's assignment on the topic brought up to date; undefined once no member subscribes to the topic. */
  private reconciledAssignment(
    group: string,
    topic: string,
    members: readonly GroupMember[],
    queueCount: number,
  ): TopicAssignment | undefined {
    let byTopic = this.assignments.get(group);
    let assignment = byTopic?.get(topic);
    const subscribed = members.some((m) => m.topics.includes(topic));
    if (!assignment) {
      if (!subscribed) return undefined;
      if (!byTopic) this.assignments.set(group, (byTopic = new Map()));
      byTopic.set(topic, (assignment = new TopicAssignment(group, topic, () => ++this.lastGeneration)));
    }
    const strategy = this.strategyFor(group, members);
    const retargeted = assignment.reconcile(members, queueCount, strategy);
    if (retargeted) {
      this.logger.info(
        { group, topic, strategy: strategy.name, allocation: queuesByMember(retargeted) },
        'consumer group queue allocation changed',
      );
    }
    if (subscribed) return assignment;
    // Owners must be subscribed members, so the reconcile above left no owner behind.
    assignment.wakeWaiters();
    byTopic!.delete(topic);
    if (byTopic!.size === 0) this.assignments.delete(group);
    return undefined;
  }

  /** The strategy its longest-standing CLUSTERING member names (earliest join, then client id). */
  private strategyFor(group: string, members: readonly GroupMember[]): QueueAllocationStrategy {
    let eldest: GroupMember | undefined;
    for (const member of members) {
      if (member.messageModel !== 'CLUSTERING') continue;
      if (!eldest || member.joinedAt < eldest.joinedAt || (member.joinedAt === eldest.joinedAt && member.clientId < eldest.clientId)) {
        eldest = member;
      }
    }
    const name = eldest?.allocationStrategy ?? this.defaultStrategy.name;
    const strategy = this.strategies.get(name);
    if (strategy) return strategy;
    if (!this.warnedStrategies.has(name)) {
      this.warnedStrategies.add(name);
      this.logger.warn(
        { group, strategy: name, known: [...this.strategies.keys()] },
        `unknown queue allocation strategy "${name}"; allocating with "${this.defaultStrategy.name}"`,
      );
    }
    return this.defaultStrategy;
  }
}

/** Nothing to tell the member: it saw this generation and holds exactly the queues it owns. */
function isAlreadyKnown(request: AssignmentSyncRequest, result: AssignmentSyncResult): boolean {
  return (
    request.knownGeneration === result.generation && result.revoked.length === 0 && result.owned.length === new Set(request.held).size
  );
}

function sortedUnique(queueIds: readonly number[]): number[] {
  return [...new Set(queueIds)].sort((a, b) => a - b);
}

function validateResetTarget(target: OffsetResetTarget): void {
  if ('timestamp' in target) {
    if (!Number.isFinite(target.timestamp)) {
      throw new TesseraError(ErrorCode.BAD_REQUEST, `a reset timestamp must be a number of ms since the epoch, got ${target.timestamp}`);
    }
  } else if (!Number.isInteger(target.offset)) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `a reset offset must be an integer, got ${target.offset}`);
  }
}
