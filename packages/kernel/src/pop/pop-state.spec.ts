import type { PopCheckpoint } from './pop-checkpoint';
import { PopJournalReader } from './pop-journal-reader';
import { PopJournalWriter } from './pop-journal-writer';
import { PopState } from './pop-state';

const NOW = 10_000;

/** A journal as a receive, an ack, a nack and a lease change on two queues would write it. */
function journal(): Buffer[] {
  const received = new PopJournalWriter('g', 'c1');
  for (let offset = 5; offset < 9; offset++) received.lease('t', 0, offset, offset - 4, NOW + 30_000, 1, 10);
  received.lease('t', 1, 0, 5, NOW + 30_000, 1, 10);
  const acked = new PopJournalWriter('g', '');
  acked.ack('t', 0, 6);
  acked.ack('t', 0, 5);
  acked.ack('t', 1, 0);
  const nacked = new PopJournalWriter('g', '');
  nacked.visible('t', 0, 7, 0, 1);
  const changed = new PopJournalWriter('g', 'c1');
  changed.lease('t', 0, 8, 6, NOW + 60_000, 1, 10);
  const redelivered = new PopJournalWriter('g', 'c2');
  redelivered.lease('t', 0, 7, 7, NOW - 1, 2, 10);
  return [received, acked, nacked, changed, redelivered].map((writer) => writer.finish());
}

function replayAll(state: PopState, bodies: Buffer[]): void {
  for (const body of bodies) state.replay(new PopJournalReader(body), NOW);
}

/** The snapshot with its messages in offset order: the order of pending messages within a queue carries no meaning. */
function sortedSnapshot(state: PopState): PopCheckpoint {
  const snapshot = state.snapshot(0);
  for (const queue of snapshot.queues) {
    queue.leased.sort((a, b) => a[0] - b[0]);
    queue.visible.sort((a, b) => a[0] - b[0]);
  }
  return snapshot;
}

describe('PopState', () => {
  it('rebuilds queue states from the journal; a queue new to it starts at its first op', () => {
    const state = new PopState();
    replayAll(state, journal());
    const snapshot = state.snapshot(42);
    expect(snapshot).toEqual({
      version: 1,
      journalOffset: 42,
      nextLeaseId: 8,
      queues: [
        {
          group: 'g',
          topic: 't',
          queueId: 0,
          ackedUpTo: 7,
          cursor: 9,
          leased: [
            [7, 7, NOW - 1, 2, 'c2', 10],
            [8, 6, NOW + 60_000, 1, 'c1', 10],
          ],
          visible: [],
        },
        { group: 'g', topic: 't', queueId: 1, ackedUpTo: 1, cursor: 1, leased: [], visible: [] },
      ],
    });
    expect(state.inflight.peek('g', 'c1')).toMatchObject({ messages: 1, bytes: 10 });
    expect(state.inflight.peek('g', 'c2')).toMatchObject({ messages: 1, bytes: 10 });
    expect(state.deadlines.peek()?.offset).toBe(7);
    expect(state.newLeaseId()).toBe(8);
  });

  it('ends up in the same state from a checkpoint plus the journal after it, even when the checkpoint holds part of that journal', () => {
    const bodies = journal();
    const whole = new PopState();
    replayAll(whole, bodies);
    for (let split = 0; split <= bodies.length; split++) {
      for (let overlap = 0; overlap <= split; overlap++) {
        const early = new PopState();
        replayAll(early, bodies.slice(0, split));
        const recovered = new PopState();
        recovered.restore(JSON.parse(JSON.stringify(early.snapshot(0))), NOW, noLoss);
        replayAll(recovered, bodies.slice(split - overlap));
        expect(sortedSnapshot(recovered)).toEqual(sortedSnapshot(whole));
        expect(recovered.inflight.size).toBe(2);
      }
    }
  });

  it('keeps lease ids above every id in the checkpoint and the journal', () => {
    const state = new PopState();
    state.restore({ version: 1, journalOffset: 0, nextLeaseId: 100, queues: [] }, NOW, noLoss);
    expect(state.newLeaseId()).toBe(100);
    const writer = new PopJournalWriter('g', 'c');
    writer.lease('t', 0, 0, 500, NOW, 1, 1);
    state.replay(new PopJournalReader(writer.finish()), NOW);
    expect(state.newLeaseId()).toBe(501);
  });

  it('restores visible messages as due now or later, and leases with their deadlines', () => {
    const state = new PopState();
    state.restore(
      {
        version: 1,
        journalOffset: 3,
        nextLeaseId: 9,
        queues: [
          {
            group: 'g',
            topic: 't',
            queueId: 2,
            ackedUpTo: 4,
            cursor: 8,
            leased: [[5, 8, NOW + 5, 1, 'c', 3]],
            visible: [
              [4, 0, 1],
              [6, NOW + 50, 2],
            ],
          },
        ],
      },
      NOW,
      noLoss,
    );
    const queue = state.queuesOf('g', 't')!.get(2)!;
    expect(queue.readyCount).toBe(1);
    expect(queue.counts()).toEqual({ inflight: 1, visibleAgain: 2 });
    expect(state.deadlines.pop()).toMatchObject({ offset: 5, state: 'LEASED', dueAt: NOW + 5 });
    expect(state.deadlines.pop()).toMatchObject({ offset: 6, state: 'DELAYED', dueAt: NOW + 50 });
    expect(state.queuesOf('g', 'other')).toBeUndefined();
  });

  it('cuts a queue back to the log end when the checkpoint saw records the log has lost since', () => {
    const state = new PopState();
    const cutBack = state.restore(
      {
        version: 1,
        journalOffset: 3,
        nextLeaseId: 9,
        queues: [
          { group: 'g', topic: 't', queueId: 0, ackedUpTo: 4, cursor: 9, leased: [[5, 8, NOW + 5, 1, 'c', 3], [7, 7, NOW + 5, 1, 'c', 3]], visible: [[4, 0, 1], [8, 0, 1]] },
          { group: 'g', topic: 't', queueId: 1, ackedUpTo: 3, cursor: 3, leased: [], visible: [] },
        ],
      },
      NOW,
      (_topic, queueId) => (queueId === 0 ? 6 : 3),
    );
    expect(cutBack).toBe(1);
    const queue = state.queuesOf('g', 't')!.get(0)!;
    expect(queue.cursor).toBe(6);
    expect(queue.ackedUpTo).toBe(4);
    expect(queue.counts()).toEqual({ inflight: 1, visibleAgain: 1 });
    expect(state.inflight.peek('g', 'c')).toMatchObject({ messages: 1 });
    expect(state.queuesOf('g', 't')!.get(1)!.cursor).toBe(3);
  });
});

const noLoss = () => Number.MAX_SAFE_INTEGER;

describe('PopState forgetting a deleted topic', () => {
  it('drops the queue states, their deadlines and consumer budgets, and replays the drop', () => {
    const state = new PopState();
    const forgotten = new PopJournalWriter('g', '');
    forgotten.forget('t', 0);
    forgotten.forget('t', 1);
    replayAll(state, [...journal(), forgotten.finish()]);
    expect(state.queuesOnTopic('t')).toEqual([]);
    expect(state.topicsOf('g')).toEqual([]);
    expect(state.deadlines.size).toBe(0);
    expect(state.inflight.size).toBe(0);
    expect(state.snapshot(0).queues).toEqual([]);

    // Ops after the drop start the queue afresh, as a re-created topic does.
    const again = new PopJournalWriter('g', 'c1');
    again.lease('t', 0, 0, 9, NOW + 30_000, 1, 10);
    state.replay(new PopJournalReader(again.finish()), NOW);
    expect(state.snapshot(0).queues).toMatchObject([{ group: 'g', topic: 't', queueId: 0, ackedUpTo: 0, cursor: 1 }]);
  });
});
