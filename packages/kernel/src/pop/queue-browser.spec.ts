import { ErrorCode } from '../errors/error-code';
import type { BrowseRequest } from './browse-request';
import type { BrowsedMessage } from './browsed-message';
import { popServiceHarness, where } from './pop-service-harness.spec-helper';

const seen = (browsed: readonly BrowsedMessage[]) => browsed.map((b) => `${b.message.queueId}:${b.message.queueOffset}`);

describe('QueueBrowser', () => {
  const { start, produce, request } = popServiceHarness();
  const browseRequest = (overrides: Partial<BrowseRequest> = {}): BrowseRequest => ({ group: 'g', topic: 't', positions: new Map(), maxCount: 32, ...overrides });

  it('shows a group’s messages without leasing them or creating state: a consumer then gets every one first-time', async () => {
    const { broker, pop } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    await produce(broker, 't', 6);
    const browsed = await broker.browse(browseRequest());
    expect(seen(browsed).sort()).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2']);
    expect(browsed.every((b) => b.deliveryCount === 0)).toBe(true);
    expect(pop.progress('g', 't')).toEqual([]);
    expect(broker.perMessageAckGroups()).toEqual([]);
    const leased = await broker.receive(request());
    expect(where(leased).sort()).toEqual(seen(browsed).sort());
    expect(leased.every((m) => m.deliveryCount === 1)).toBe(true);
  });

  it('skips what the group acked, shows leased and redelivered messages with their delivery counts, and each message once', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 5);
    const leased = await broker.receive(request({ maxCount: 3 }));
    await broker.ack('g', [leased[0]!.receipt, leased[2]!.receipt]);
    await broker.nack('g', [leased[1]!.receipt]);
    const positions = new Map<number, number>();
    const browsed = await broker.browse(browseRequest({ positions }));
    expect(browsed.map((b) => [b.message.queueOffset, b.deliveryCount])).toEqual([
      [1, 1],
      [3, 0],
      [4, 0],
    ]);
    expect(positions.get(0)).toBe(5);
    await expect(broker.browse(browseRequest({ positions }))).resolves.toEqual([]);
    const redelivered = await broker.receive(request());
    expect(redelivered.map((m) => [m.message.queueOffset, m.deliveryCount])).toEqual([
      [1, 2],
      [3, 1],
      [4, 1],
    ]);
  });

  it('pages through the queues within maxCount and starts past a run the group acked', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    await produce(broker, 't', 40);
    const acked = await broker.receive(request({ queueId: 0, maxCount: 10 }));
    await broker.ack('g', acked.map((m) => m.receipt));
    const positions = new Map<number, number>();
    const pages: string[][] = [];
    for (let page = 0; page < 10; page++) {
      const browsed = await broker.browse(browseRequest({ positions, maxCount: 7 }));
      if (browsed.length === 0) break;
      expect(browsed.length).toBeLessThanOrEqual(7);
      pages.push(seen(browsed));
    }
    const all = pages.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(30);
    expect(all.filter((key) => key.startsWith('0:')).every((key) => Number(key.slice(2)) >= 10)).toBe(true);
  });

  it('waits at the end for a new message, and answers at once when aborted', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 1);
    const positions = new Map<number, number>();
    expect(await broker.browse(browseRequest({ positions }))).toHaveLength(1);
    const waiting = broker.browse(browseRequest({ positions, maxWaitMs: 5000 }));
    await produce(broker, 't', 1);
    const startedAt = Date.now();
    expect((await waiting).map((b) => b.message.body.toString())).toEqual(['m0']);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    const abort = new AbortController();
    const aborted = broker.browse(browseRequest({ positions, maxWaitMs: 5000, signal: abort.signal }));
    abort.abort();
    await expect(aborted).resolves.toEqual([]);
  });

  it('refuses a bad request and an unknown topic', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await expect(broker.browse(browseRequest({ maxCount: 0 }))).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.browse(browseRequest({ group: '' }))).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.browse(browseRequest({ topic: 'nope' }))).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
  });
});
