import { performance } from 'node:perf_hooks';
import { Admin, Producer } from '@tessera/client';
import { isBalancedOwnership, type OwnedQueue } from './is-balanced-ownership';
import { RebalanceMember } from './rebalance-member';
import { summarizeDurations, type DurationSummary } from './summarize-durations';

export interface RebalanceLoad {
  queueCount: number;
  /** Members before each join and after each leave; a kill is followed by a replacement. */
  memberCount: number;
  repetitions: number;
  /** The broker's groupSessionTimeoutMs (the bench starts the broker with it). */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Messages per second sent to the topic throughout, so queues change hands with traffic on them. */
  trickleMessagesPerSecond: number;
}

export interface RebalanceResult extends RebalanceLoad {
  /** From a member's join command until the newcomer owns its share of the queues. */
  join: DurationSummary;
  /** From a graceful shutdown command until the remaining members own every queue. */
  leave: DurationSummary;
  /** From a member's SIGKILL until the remaining members own every queue. */
  kill: DurationSummary;
  failedTrickleSends: number;
  /** Why the phase stopped early; the figures above then cover what was measured before. */
  firstError?: string;
}

const POLL_MS = 5;
/** Lets the group go quiet between events, so one event's rebalance does not overlap the next. */
const PAUSE_BETWEEN_EVENTS_MS = 500;
const JOIN_TIMEOUT_MS = 30_000;
const LEAVE_TIMEOUT_MS = 30_000;

/**
 * Rebalance time in a group of member processes over one topic: repeatedly a member joins, one
 * leaves gracefully and one is killed (then replaced, unmeasured). Each figure runs from the event
 * until the broker reports every queue owned by a live member with the shares even, polled every
 * 5 ms through Admin.describeGroup.
 */
export async function measureRebalance(server: string, topic: string, group: string, load: RebalanceLoad): Promise<RebalanceResult> {
  const samples = { join: [] as number[], leave: [] as number[], kill: [] as number[] };
  const admin = new Admin({ server });
  const producer = new Producer({ server, retries: 0 });
  const members: RebalanceMember[] = [];
  let failedTrickleSends = 0;
  let firstError: string | undefined;
  let trickle: NodeJS.Timeout | undefined;
  let nextMemberId = 0;
  const spawnMember = () =>
    RebalanceMember.spawn({ server, group, topic, clientId: `member-${nextMemberId++}`, heartbeatIntervalMs: load.heartbeatIntervalMs });
  const eventTimeoutMs = load.sessionTimeoutMs + 10_000;

  const timeUntilBalanced = async (startedAt: number, live: readonly RebalanceMember[], event: Promise<void>): Promise<number> => {
    let eventError: Error | undefined;
    event.catch((error: Error) => (eventError = error));
    const liveIds = live.map((m) => m.clientId);
    let queues: OwnedQueue[] = [];
    for (;;) {
      queues = (await admin.describeGroup(group, topic)).queues;
      const elapsed = performance.now() - startedAt;
      if (isBalancedOwnership(queues, load.queueCount, liveIds)) return elapsed;
      if (eventError) throw eventError;
      if (elapsed > eventTimeoutMs) {
        const owners = queues.map((q) => `${q.queueId}:${q.owner ?? '-'}`).join(' ');
        throw new Error(`queues not balanced over ${liveIds.join(', ')} after ${eventTimeoutMs} ms (owners ${owners})`);
      }
      await pause(POLL_MS);
    }
  };
  const measure = async (live: readonly RebalanceMember[], trigger: () => Promise<void>): Promise<number> => {
    await pause(PAUSE_BETWEEN_EVENTS_MS);
    const startedAt = performance.now();
    const event = trigger();
    const elapsed = await timeUntilBalanced(startedAt, live, event);
    await event;
    return elapsed;
  };

  try {
    await Promise.all([admin.start(), producer.start()]);
    const body = Buffer.alloc(100, 'x');
    trickle = setInterval(() => void producer.send({ topic, body }).catch(() => failedTrickleSends++), 1000 / load.trickleMessagesPerSecond);
    for (let i = 0; i < load.memberCount; i++) {
      const member = await spawnMember();
      members.push(member);
      await member.join(JOIN_TIMEOUT_MS);
    }
    await timeUntilBalanced(performance.now(), members, Promise.resolve());
    for (let repetition = 0; repetition < load.repetitions; repetition++) {
      const newcomer = await spawnMember();
      members.push(newcomer);
      samples.join.push(await measure(members, () => newcomer.join(JOIN_TIMEOUT_MS)));

      const leaver = members.shift()!;
      samples.leave.push(await measure(members, () => leaver.leave(LEAVE_TIMEOUT_MS)));

      const victim = members.shift()!;
      samples.kill.push(await measure(members, () => victim.kill()));

      const replacement = await spawnMember();
      members.push(replacement);
      await replacement.join(JOIN_TIMEOUT_MS);
      await timeUntilBalanced(performance.now(), members, Promise.resolve());
    }
  } catch (error) {
    firstError = (error as Error).message;
  } finally {
    clearInterval(trickle);
    await Promise.allSettled(members.map((m) => m.kill()));
    await Promise.allSettled([admin.shutdown(), producer.shutdown()]);
  }
  return {
    ...load,
    join: summarizeDurations(samples.join),
    leave: summarizeDurations(samples.leave),
    kill: summarizeDurations(samples.kill),
    failedTrickleSends,
    firstError,
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
