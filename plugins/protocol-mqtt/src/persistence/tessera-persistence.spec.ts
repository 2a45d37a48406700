import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker, createLogger, type BrokerRuntime } from '@tessera/kernel';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { memoryStoragePlugin } from '@tessera/testing';
import { createTesseraPersistence } from './create-tessera-persistence';
import { MQTT_JOURNAL_TOPIC } from './mqtt-journal-topic';
import type { PersistedPacket } from './persisted-packet';
import type { TesseraPersistence, TesseraPersistenceOptions } from './tessera-persistence';

const logger = createLogger({ level: 'silent' });
const NO_TIMED_CHECKPOINT_MS = 3_600_000;

describe('TesseraPersistence', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-persistence-'));
    runtime = createBroker({ broker: { dataDir }, plugins: [memoryStoragePlugin, coordinationLocalPlugin], logger });
    await runtime.start();
  });

  afterEach(async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A persistence on the test's kernel and data dir. Dropping one without destroy() is a crash: no last checkpoint. */
  async function open(options: Partial<TesseraPersistenceOptions> = {}): Promise<TesseraPersistence> {
    const persistence = createTesseraPersistence({ broker: runtime.broker, logger, checkpointIntervalMs: NO_TIMED_CHECKPOINT_MS, ...options });
    await persistence.open();
    await persistence.setup({ id: 'aedes-1' });
    return persistence;
  }

  function publish(brokerCounter: number, payload: string, extra: Partial<PersistedPacket> = {}): PersistedPacket {
    return { cmd: 'publish', topic: 'sensors/1', payload: Buffer.from(payload), qos: 1, retain: false, dup: false, brokerId: 'aedes-1', brokerCounter, ...extra };
  }

  async function drain(stream: NodeJS.ReadableStream): Promise<unknown[]> {
    const items: unknown[] = [];
    for await (const item of stream) items.push(item);
    return items;
  }

  /** Everything a client of the persistence can observe, for comparing two instances. */
  async function observe(persistence: TesseraPersistence): Promise<Record<string, unknown>> {
    return {
      retained: await drain(persistence.createRetainedStream('#')),
      subscriptionsOfC1: await persistence.subscriptionsByClient({ id: 'c1' }),
      subscriptionsOfC2: await persistence.subscriptionsByClient({ id: 'c2' }),
      matching: await persistence.subscriptionsByTopic('sensors/1'),
      offline: await persistence.countOffline(),
      queueOfC1: await drain(persistence.outgoingStream({ id: 'c1' })),
      queueOfC2: await drain(persistence.outgoingStream({ id: 'c2' })),
      incoming: await persistence.incomingGetPacket({ id: 'c1' }, { messageId: 42 }).catch((error: Error) => error.message),
      // c1's 42 awaits its PUBREL; c3's 1 was released.
      awaitingPubrel: [persistence.awaitsPubrel('c1', 42), persistence.awaitsPubrel('c3', 1), persistence.awaitsPubrel('c1', 43)],
      wills: await drain(persistence.streamWill({})),
      sessionTimers: persistence.storedSessionTimers(),
      sessions: ['c1', 'empty', 'ended', 'never'].map((id) => persistence.holdsSessionState(id)),
    };
  }

  /** One of each kind of mutation, each awaited (acknowledged) before the next. */
  async function mutateEverything(persistence: TesseraPersistence, generation: string): Promise<void> {
    await persistence.storeRetained({ cmd: 'publish', topic: `retained/${generation}`, payload: Buffer.from('keep'), qos: 0, retain: true });
    await persistence.storeRetained({ cmd: 'publish', topic: 'retained/gone', payload: Buffer.from('x'), qos: 0, retain: true });
    await persistence.storeRetained({ cmd: 'publish', topic: 'retained/gone', payload: Buffer.alloc(0), qos: 0, retain: true });
    await persistence.addSubscriptions({ id: 'c1' }, [
      { topic: 'sensors/+', qos: 1, rh: 0, rap: true, nl: false },
      { topic: `zero/${generation}`, qos: 0 },
    ]);
    await persistence.addSubscriptions({ id: 'c2' }, [{ topic: 'sensors/#', qos: 2, subscriptionIdentifier: 7 }]);
    await persistence.removeSubscriptions({ id: 'c2' }, ['nothing']);
    const base = generation === 'first' ? 0 : 100;
    await persistence.outgoingEnqueueCombi([{ clientId: 'c1' }, { clientId: 'c2' }], publish(base + 1, `${generation}-1`));
    await persistence.outgoingEnqueue({ clientId: 'c1' }, publish(base + 2, `${generation}-2`, { qos: 2 }));
    await persistence.outgoingEnqueue({ clientId: 'c2' }, publish(base + 3, `${generation}-3`));
    await persistence.outgoingUpdate({ id: 'c1' }, { ...publish(base + 1, ''), messageId: base + 11 });
    await persistence.outgoingUpdate({ id: 'c1' }, { ...publish(base + 2, ''), messageId: base + 12 });
    await persistence.outgoingUpdate({ id: 'c1' }, { cmd: 'pubrel', messageId: base + 12 });
    await persistence.outgoingUpdate({ id: 'c2' }, { ...publish(base + 3, ''), messageId: base + 13 });
    expect(await persistence.outgoingClearMessageId({ id: 'c2' }, { messageId: base + 13 })).toMatchObject({ payload: Buffer.from(`${generation}-3`) });
    await persistence.incomingStorePacket({ id: 'c1' }, { ...publish(0, 'qos2 in', { qos: 2 }), messageId: 42 });
    await persistence.incomingStorePacket({ id: 'c3' }, { ...publish(0, 'released', { qos: 2 }), messageId: 1 });
    await persistence.incomingDelPacket({ id: 'c3' }, { messageId: 1 });
    await persistence.putWill({ id: `will-${generation}` }, { topic: 'status', payload: Buffer.from('offline'), qos: 1, retain: true });
    await persistence.putWill({ id: 'dropped' }, { topic: 'status', payload: Buffer.from('x'), qos: 0, retain: false });
    await persistence.delWill({ id: 'dropped' });
    const will = { topic: 'status', payload: Buffer.from('bye'), qos: 1, retain: false, properties: { willDelayInterval: 5 } };
    await persistence.putSessionTimers(`session-${generation}`, { expiryInterval: 60, expiresAt: 60_000, will, willAt: 5_000, username: 'device' });
    await persistence.putSessionTimers('session-gone', { expiryInterval: 1 });
    await persistence.putSessionTimers('session-gone', undefined);
    await persistence.openSession('empty');
    await persistence.openSession('ended');
    await persistence.cleanSubscriptions({ id: 'ended' });
  }

  it('brings back retained messages, subscriptions, queues, inflight packets and wills from the journal alone after a crash', async () => {
    const before = await open({ outgoingCacheBytes: 0 });
    await mutateEverything(before, 'first');
    const observed = await observe(before);

    const after = await open();

    expect(await observe(after)).toEqual(observed);
    expect(observed).toMatchObject({
      retained: [{ topic: 'retained/first' }],
      offline: { subsCount: 2, clientsCount: 2 },
      queueOfC1: [
        { cmd: 'publish', payload: Buffer.from('first-1'), messageId: 11 },
        { cmd: 'pubrel', messageId: 12 },
      ],
      queueOfC2: [{ cmd: 'publish', payload: Buffer.from('first-1'), messageId: undefined }],
      incoming: { payload: Buffer.from('qos2 in'), messageId: 42 },
      awaitingPubrel: [true, false, false],
      wills: [{ clientId: 'will-first', brokerId: 'aedes-1', payload: Buffer.from('offline') }],
      sessionTimers: [['session-first', { expiryInterval: 60, expiresAt: 60_000, willAt: 5_000, username: 'device', will: { payload: Buffer.from('bye') } }]],
      sessions: [true, true, false, false],
    });
    expect(existsSync(join(dataDir, 'mqtt', 'persistence-state.json'))).toBe(false);
  });

  it('recovers from the checkpoint plus the journal written after it', async () => {
    const first = await open();
    await mutateEverything(first, 'first');
    await first.destroy();
    expect(existsSync(join(dataDir, 'mqtt', 'persistence-state.json'))).toBe(true);

    const second = await open({ outgoingCacheBytes: 0 });
    expect(await observe(second)).toEqual(await observe(await openAfterCrash()));
    await second.outgoingClearMessageId({ id: 'c1' }, { messageId: 11 });
    await second.outgoingClearMessageId({ id: 'c1' }, { messageId: 12 });
    await mutateEverything(second, 'second');
    const observed = await observe(second);

    expect(await observe(await openAfterCrash())).toEqual(observed);
    expect(observed).toMatchObject({ retained: [{ topic: 'retained/first' }, { topic: 'retained/second' }] });
    expect((observed.queueOfC1 as PersistedPacket[]).map((p) => p.messageId)).toEqual([111, 112]);
  });

  it('sweeps retained messages past their Message Expiry out of the store, durably', async () => {
    const persistence = await open();
    const now = Date.now();
    await persistence.storeRetained({ cmd: 'publish', topic: 'r/expired', payload: Buffer.from('old'), qos: 0, retain: true, messageExpiry: now - 1 });
    await persistence.storeRetained({ cmd: 'publish', topic: 'r/live', payload: Buffer.from('new'), qos: 0, retain: true, messageExpiry: now + 60_000 });
    await persistence.storeRetained({ cmd: 'publish', topic: 'r/forever', payload: Buffer.from('v3'), qos: 0, retain: true });
    expect(await persistence.sweepExpiredRetained(now)).toBe(1);
    expect(await persistence.sweepExpiredRetained(now)).toBe(0);
    const afterCrash = await open();
    expect((await drain(afterCrash.createRetainedStream('r/#'))).map((packet) => (packet as PersistedPacket).topic).sort()).toEqual(['r/forever', 'r/live']);
    expect(await afterCrash.sweepExpiredRetained(now + 120_000)).toBe(1);
  });

  it('does not replay a second time what the checkpoint holds, even when the checkpoint names an earlier journal offset', async () => {
    const first = await open();
    await mutateEverything(first, 'first');
    const observed = await observe(first);
    await first.destroy();
    const file = join(dataDir, 'mqtt', 'persistence-state.json');
    const checkpoint = JSON.parse(readFileSync(file, 'utf8')) as { journalOffset: number };
    expect(checkpoint.journalOffset).toBeGreaterThan(0);
    writeFileSync(file, JSON.stringify({ ...checkpoint, journalOffset: 0 }));

    expect(await observe(await openAfterCrash())).toEqual(observed);
  });

  it('gathers the mutations of one turn into one journal append and acknowledges none before it is stored', async () => {
    const persistence = await open();
    const broker = runtime.broker;
    const realAppend = broker.appendToSystemTopic.bind(broker);
    let releaseAppend!: () => void;
    const appendHeld = new Promise<void>((resolve) => (releaseAppend = resolve));
    const append = jest.spyOn(broker, 'appendToSystemTopic').mockImplementation(async (messages) => {
      await appendHeld;
      return realAppend(messages);
    });
    const acknowledged: number[] = [];

    const calls = [
      ...Array.from({ length: 100 }, (_, i) => persistence.outgoingEnqueue({ clientId: `client-${i}` }, publish(i + 1, `m${i}`))),
      persistence.storeRetained({ cmd: 'publish', topic: 'r', payload: Buffer.from('v'), qos: 0, retain: true }),
      persistence.addSubscriptions({ id: 'client-0' }, [{ topic: 'sensors/#', qos: 1 }]),
    ].map((call, i) => call.then(() => acknowledged.push(i)));
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(append).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0]![0]).toHaveLength(1);
    expect(append.mock.calls[0]![0][0]!.topic).toBe(MQTT_JOURNAL_TOPIC);
    expect(acknowledged).toEqual([]);

    releaseAppend();
    await Promise.all(calls);
    expect(acknowledged).toHaveLength(102);
    append.mockRestore();
    const reopened = await openAfterCrash();
    expect(await drain(reopened.outgoingStream({ id: 'client-99' }))).toMatchObject([{ payload: Buffer.from('m99') }]);
  });

  it('keeps a long offline queue out of memory beyond its budget and reads the packets back from the journal', async () => {
    const persistence = await open({ outgoingCacheBytes: 16 * 1024 });
    const payload = (i: number) => Buffer.alloc(1024, i % 256);
    for (let i = 0; i < 300; i++) await persistence.outgoingEnqueue({ clientId: 'offline' }, publish(i + 1, '', { payload: payload(i) }));

    const queued = (await drain(persistence.outgoingStream({ id: 'offline' }))) as PersistedPacket[];

    expect(queued).toHaveLength(300);
    expect(queued.every((packet, i) => Buffer.compare(packet.payload as Buffer, payload(i)) === 0 && packet.brokerCounter === i + 1)).toBe(true);
  });

  it('refuses a mutation it cannot encode without losing the others of its turn', async () => {
    const persistence = await open();
    const kept = persistence.putWill({ id: 'kept' }, { topic: 'w', payload: Buffer.from('x') });
    const refused = persistence.storeRetained({ topic: 'r', payload: Buffer.from('x'), size: 1n } as never);

    await expect(refused).rejects.toThrow(TypeError);
    await kept;
    expect(await (await openAfterCrash()).getWill({ id: 'kept' })).toMatchObject({ topic: 'w', clientId: 'kept' });
    expect(await drain(persistence.createRetainedStream('#'))).toEqual([]);
  });

  it('leaves out and deletes a retained message found past its expiry', async () => {
    const persistence = await open();
    const storedAt = Date.now();
    await persistence.storeRetained({ cmd: 'publish', topic: 'r/expiring', payload: Buffer.from('x'), qos: 0, retain: true, messageExpiry: storedAt + 1000 });
    await persistence.storeRetained({ cmd: 'publish', topic: 'r/lasting', payload: Buffer.from('y'), qos: 0, retain: true, messageExpiry: storedAt + 3_600_000 });
    const now = jest.spyOn(Date, 'now').mockReturnValue(storedAt + 2000);
    try {
      expect((await drain(persistence.createRetainedStream('r/#'))).map((packet) => (packet as PersistedPacket).topic)).toEqual(['r/lasting']);
      // Journalled after the deletion, so durable only once the deletion is.
      await persistence.putWill({ id: 'later' }, { topic: 'w', payload: Buffer.from('x') });
      // Were it still stored, a reader back before its expiry would get it.
      now.mockReturnValue(storedAt);
      const recovered = await openAfterCrash();
      expect((await drain(recovered.createRetainedStream('r/#'))).map((packet) => (packet as PersistedPacket).topic)).toEqual(['r/lasting']);
    } finally {
      now.mockRestore();
    }
  });

  it('refuses mutations after destroy, and a second destroy', async () => {
    const persistence = await open();
    await persistence.destroy();

    await expect(persistence.storeRetained({ topic: 'r', payload: Buffer.from('x') })).rejects.toThrow('not open');
    await expect(persistence.destroy()).rejects.toThrow('destroyed called twice');
  });

  function openAfterCrash(): Promise<TesseraPersistence> {
    return open();
  }
});
