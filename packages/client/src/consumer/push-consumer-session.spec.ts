import {
  decodeBody,
  heartbeatResponseCodec,
  pullRequestCodec,
  pullResponseCodec,
  queryOffsetResponseCodec,
  RequestCode,
  ResponseCode,
  syncAssignmentRequestCodec,
  syncAssignmentResponseCodec,
  type Frame,
  type SyncAssignmentRequest,
  type WireStoredMessage,
} from '@tessera/wire';
import type { TesseraClientError } from '../errors/tessera-client-error';
import { responseBody, ScriptedBroker, type ScriptedAnswer } from '../testing/scripted-broker';
import { waitFor } from '../testing/wait-for';
import { PushConsumer } from './push-consumer';

const SESSION_TIMEOUT_MS = 600;

function stored(queueId: number, queueOffset: number): WireStoredMessage {
  return {
    msgId: `id-${queueId}-${queueOffset}`,
    topic: 'orders',
    queueId,
    queueOffset,
    commitLogOffset: 0,
    storeTimestamp: 0,
    bornTimestamp: 0,
    flag: 0,
    reconsumeTimes: 0,
    keys: [],
    properties: {},
    body: Buffer.from(`q${queueId}-${queueOffset}`),
  };
}

/**
 * A broker with one message per queue of `orders` and an assignment that never changes: a sync
 * that knows the generation is held (here: never answered), others get `owned`. The group's retry
 * topic does not exist. `answerCommit` decides commits.
 */
function groupBroker(owned: number[], answerCommit: () => ScriptedAnswer = () => ({ body: Buffer.alloc(0) })): (frame: Frame) => ScriptedAnswer {
  return (frame) => {
    switch (frame.header.code) {
      case RequestCode.HEARTBEAT:
        return responseBody(heartbeatResponseCodec, { sessionTimeoutMs: SESSION_TIMEOUT_MS });
      case RequestCode.SYNC_ASSIGNMENT: {
        const request = decodeBody(syncAssignmentRequestCodec, frame.body);
        if (request.topic !== 'orders') return { status: ResponseCode.TOPIC_NOT_FOUND, message: `topic "${request.topic}" does not exist` };
        if (request.knownGeneration === 1) return 'silence';
        return responseBody(syncAssignmentResponseCodec, { generation: 1, owned, revoked: [], sessionTimeoutMs: SESSION_TIMEOUT_MS });
      }
      case RequestCode.QUERY_OFFSET:
        return responseBody(queryOffsetResponseCodec, { offset: 0 });
      case RequestCode.PULL: {
        const { queueId, offset } = decodeBody(pullRequestCodec, frame.body);
        if (offset > 0) return 'silence';
        return responseBody(pullResponseCodec, { status: 'FOUND', nextOffset: 1, minOffset: 0, maxOffset: 1, messages: [stored(queueId, 0)] });
      }
      case RequestCode.COMMIT_OFFSET:
        return answerCommit();
      default:
        return { body: Buffer.alloc(0) };
    }
  };
}

function framesOf(broker: ScriptedBroker, code: RequestCode): Frame[] {
  return broker.requests.filter((frame) => frame.header.code === code);
}

describe('PushConsumer session', () => {
  let broker: ScriptedBroker | undefined;
  let consumer: PushConsumer | undefined;

  afterEach(async () => {
    await consumer?.shutdown();
    await broker?.stop();
    consumer = broker = undefined;
  });

  it('stops its queues without committing once the broker stopped answering for the session timeout, and rejoins when it answers again', async () => {
    let answering = true;
    const script = groupBroker([0, 1]);
    broker = await ScriptedBroker.start((frame) => (answering ? script(frame) : 'silence'));
    const consumed: string[] = [];
    const errors: TesseraClientError[] = [];
    consumer = new PushConsumer({
      server: broker.address,
      group: 'g1',
      topic: 'orders',
      heartbeatIntervalMs: 50,
      autoCommitIntervalMs: 60_000,
      listener: (messages) => (consumed.push(...messages.map((m) => m.body.toString())), 'SUCCESS'),
    });
    consumer.on('error', (error: TesseraClientError) => errors.push(error));
    await consumer.start();
    await waitFor(() => consumed.length === 2, 'one message of each queue');

    answering = false;
    const silentAt = Date.now();
    await waitFor(() => consumer!.assignedQueues().length === 0, 'the member to stop its queues', 3000);
    expect(Date.now() - silentAt).toBeLessThan(SESSION_TIMEOUT_MS);
    expect(errors.map((e) => e.code)).toContain('SESSION_EXPIRED');
    expect(framesOf(broker, RequestCode.COMMIT_OFFSET)).toEqual([]);

    answering = true;
    await waitFor(() => consumer!.assignedQueues().length === 2, 'the member to rejoin', 2000);
    // Nothing was committed, so the new owner (this member again) replays from the committed offset.
    await waitFor(() => consumed.length === 4, 'the uncommitted messages again');
    expect(consumed.sort()).toEqual(['q0-0', 'q0-0', 'q1-0', 'q1-0']);
  });

  it('drops a queue whose commit the broker refuses as not owned, without committing, and syncs at once', async () => {
    let commits = 0;
    broker = await ScriptedBroker.start(
      groupBroker([0], () => (++commits === 1 ? { status: ResponseCode.QUEUE_NOT_OWNED, message: 'the offsets were reset' } : { body: Buffer.alloc(0) })),
    );
    const consumed: string[] = [];
    const rebalances: number[][] = [];
    consumer = new PushConsumer({
      server: broker.address,
      group: 'g1',
      topic: 'orders',
      clientId: 'member-a',
      autoCommitIntervalMs: 50,
      listener: (messages) => (consumed.push(...messages.map((m) => m.body.toString())), 'SUCCESS'),
    });
    consumer.on('rebalance', (queues: number[]) => rebalances.push(queues));
    consumer.on('error', () => undefined);
    await consumer.start();
    await waitFor(() => consumed.length === 2, 'the message consumed, dropped with its queue and consumed again');
    await waitFor(() => commits === 2, 'a commit by the restarted queue');

    expect(rebalances).toEqual([[0], [], [0]]);
    const syncs = framesOf(broker, RequestCode.SYNC_ASSIGNMENT)
      .map((frame) => decodeBody(syncAssignmentRequestCodec, frame.body))
      .filter((sync) => sync.topic === 'orders');
    expect(syncs.slice(0, 4)).toEqual<SyncAssignmentRequest[]>([
      { group: 'g1', topic: 'orders', clientId: 'member-a', held: [], maxWaitMs: 10_000 },
      { group: 'g1', topic: 'orders', clientId: 'member-a', held: [0], knownGeneration: 1, maxWaitMs: 10_000 },
      { group: 'g1', topic: 'orders', clientId: 'member-a', held: [], maxWaitMs: 10_000 },
      { group: 'g1', topic: 'orders', clientId: 'member-a', held: [0], knownGeneration: 1, maxWaitMs: 10_000 },
    ]);
  });
});
