import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { storeCommitlogPlugin } from '@tessera/store-commitlog';
import { MemoryStorageEngine } from '@tessera/testing';
import type { Broker } from '../broker/broker';
import type { TesseraPlugin } from '../plugin/tessera-plugin';
import type { LeasedMessage } from './leased-message';
import { POP_JOURNAL_TOPIC } from './pop-journal-topic';
import type { PopService } from './pop-service';
import { popServiceHarness, replicationPlugin, sleep, where } from './pop-service-harness.spec-helper';

describe('PopService after a crash', () => {
  const harness = popServiceHarness();
  const { start, produce, request } = harness;
  const checkpointFile = () => join(harness.dataDir(), 'metadata', 'pop-state.json');

  /**
   * Leaves queue 0 of topic t with offsets 0–4 acked, 5 nacked, 6–9 leased for `invisibleMs`
   * and 10–19 never delivered; returns the receipt of offset 6.
   */
  const consumeSome = async (broker: Broker, invisibleMs: number) => {
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 20);
    const leased = await broker.receive(request({ maxCount: 10, invisibleMs }));
    expect(where(leased)).toEqual(Array.from({ length: 10 }, (_, i) => `0:${i}`));
    await broker.ack('g', leased.slice(0, 5).map((m) => m.receipt));
    await broker.nack('g', [leased[5]!.receipt]);
    return leased[6]!.receipt;
  };

  /** What a restarted broker must show for the state consumeSome left. */
  const expectRecovered = async (broker: Broker, pop: PopService, receiptOf6: string) => {
    expect(pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 5, cursor: 10, inflight: 4, visibleAgain: 1 }]);
    await expect(broker.ack('g', [receiptOf6])).resolves.toEqual(['OK']);
    const now = await broker.receive(request({ maxCount: 20 }));
    expect(where(now)).toEqual(['0:5', ...Array.from({ length: 10 }, (_, i) => `0:${i + 10}`)]);
    expect(now.map((m) => m.deliveryCount)).toEqual([2, ...Array.from({ length: 10 }, () => 1)]);
    const expired: LeasedMessage[] = [];
    const until = Date.now() + 5000;
    while (expired.length < 3 && Date.now() < until) expired.push(...(await broker.receive(request({ maxWaitMs: 1000 }))));
    expect(where(expired).sort()).toEqual(['0:7', '0:8', '0:9']);
    expect(expired.map((m) => m.deliveryCount)).toEqual([2, 2, 2]);
    await broker.ack('g', [...now, ...expired].map((m) => m.receipt));
    expect(pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 20, cursor: 20, inflight: 0, visibleAgain: 0 }]);
  };

  it('rebuilds the state from the journal alone: acked stay acked, leases come back when they expire', async () => {
    const first = await start({ popCheckpointIntervalMs: 3_600_000 });
    const receiptOf6 = await consumeSome(first.broker, 700);
    await first.runtime.stop();
    rmSync(checkpointFile());
    const second = await start();
    await expectRecovered(second.broker, second.pop, receiptOf6);
  });

  it('keeps a LATEST start that delivered nothing across a crash: what was produced after it is delivered, what came before is not', async () => {
    const first = await start({ popCheckpointIntervalMs: 3_600_000 });
    await first.broker.topics.create({ name: 't', writeQueueCount: 2 });
    await produce(first.broker, 't', 4);
    await expect(first.broker.receive(request({ startFrom: 'LATEST' }))).resolves.toEqual([]);
    await produce(first.broker, 't', 6);
    // A crash: the checkpoint the stop would write is gone; the journal is all there is.
    await first.runtime.stop();
    rmSync(checkpointFile(), { force: true });
    const second = await start();
    const leased = await second.broker.receive(request({ startFrom: 'LATEST', maxCount: 20 }));
    expect(where(leased).sort()).toEqual(['0:2', '0:3', '0:4', '1:2', '1:3', '1:4']);
  });

  it('rebuilds the state from a checkpoint plus the journal written after it', async () => {
    const first = await start({ popCheckpointIntervalMs: 20 });
    await first.broker.topics.create({ name: 'other', writeQueueCount: 1 });
    await produce(first.broker, 'other', 3);
    const early = await first.broker.receive(request({ topic: 'other' }));
    await first.broker.ack('g', [early[0]!.receipt]);
    for (let i = 0; i < 100 && !existsSync(checkpointFile()); i++) await sleep(10);
    await sleep(50);
    copyFileSync(checkpointFile(), `${checkpointFile()}.early`);
    const receiptOf6 = await consumeSome(first.broker, 700);
    await first.broker.ack('g', [early[1]!.receipt]);
    await first.runtime.stop();
    copyFileSync(`${checkpointFile()}.early`, checkpointFile());
    const second = await start();
    expect(second.pop.progress('g', 'other')).toEqual([{ queueId: 0, ackedUpTo: 2, cursor: 3, inflight: 1, visibleAgain: 0 }]);
    await expectRecovered(second.broker, second.pop, receiptOf6);
  });

  it('checkpoints at once when the journal cannot be written, so the state it holds survives', async () => {
    let journalFails = false;
    const flakyReplication = replicationPlugin((messages) =>
      journalFails && messages[0]!.topic === POP_JOURNAL_TOPIC ? Promise.reject(new Error('disk on fire')) : harness.engine().append(messages),
    );
    const first = await start({ popCheckpointIntervalMs: 3_600_000 }, [flakyReplication]);
    await first.broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(first.broker, 't', 3);
    const leased = await first.broker.receive(request());
    journalFails = true;
    await expect(first.broker.ack('g', [leased[0]!.receipt])).rejects.toThrow('disk on fire');
    for (let i = 0; i < 100 && !existsSync(checkpointFile()); i++) await sleep(10);
    copyFileSync(checkpointFile(), `${checkpointFile()}.at-failure`);
    journalFails = false;
    await first.runtime.stop();
    copyFileSync(`${checkpointFile()}.at-failure`, checkpointFile());
    const second = await start();
    expect(second.pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 1, cursor: 3, inflight: 2, visibleAgain: 0 }]);
  });

  it('recovers over the commitlog engine too', async () => {
    const commitlog = () => ({ plugin: storeCommitlogPlugin, options: { flushMode: 'SYNC' as const } }) as unknown as TesseraPlugin;
    const first = await start({ popCheckpointIntervalMs: 3_600_000 }, [], commitlog());
    const receiptOf6 = await consumeSome(first.broker, 1500);
    await first.runtime.stop();
    rmSync(checkpointFile());
    const second = await start({}, [], commitlog());
    await expectRecovered(second.broker, second.pop, receiptOf6);
  });

  it('after a power loss took back records it had served, delivers what the log holds there next instead of skipping it', async () => {
    const first = await start({ popCheckpointIntervalMs: 60_000 });
    await first.broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(first.broker, 't', 10);
    const leased = await first.broker.receive(request({ maxCount: 10 }));
    await first.broker.ack('g', leased.map((m) => m.receipt));
    await first.runtime.stop();
    // A log that lost every record of the first run, its pop journal included; the checkpoint file survived.
    harness.replaceEngine(new MemoryStorageEngine());
    const second = await start();
    expect(second.pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 0, cursor: 0, inflight: 0, visibleAgain: 0 }]);
    await produce(second.broker, 't', 3);
    expect(where(await second.broker.receive(request({ maxCount: 10 })))).toEqual(['0:0', '0:1', '0:2']);
  });
});
