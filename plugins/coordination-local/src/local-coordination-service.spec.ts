import 'reflect-metadata';
import { defaultBrokerSettings, type BrokerSettings } from '@tessera/kernel';
import { LocalCoordinationService } from './local-coordination-service';

describe('LocalCoordinationService', () => {
  const settings: BrokerSettings = { ...defaultBrokerSettings, groupSessionTimeoutMs: 200 };
  let service: LocalCoordinationService;

  beforeEach(async () => {
    service = new LocalCoordinationService(settings);
    await service.start();
  });
  afterEach(() => service.stop());

  it('tracks members by heartbeat, sorted by client id, and tells listeners of joins and leaves', async () => {
    const changes: string[] = [];
    service.onGroupChange((group) => changes.push(group));
    await service.heartbeat({ group: 'g', clientId: 'b', topics: ['t'], messageModel: 'CLUSTERING' });
    await service.heartbeat({ group: 'g', clientId: 'a', topics: ['t'], messageModel: 'CLUSTERING' });
    await service.heartbeat({ group: 'g', clientId: 'a', topics: ['t'], messageModel: 'CLUSTERING' });
    expect((await service.listGroupMembers('g')).map((m) => m.clientId)).toEqual(['a', 'b']);
    expect(changes).toEqual(['g', 'g']);
    await service.leaveGroup('g', 'a');
    expect((await service.listGroupMembers('g')).map((m) => m.clientId)).toEqual(['b']);
    expect(changes).toEqual(['g', 'g', 'g']);
    expect(await service.listGroups()).toEqual(['g']);
  });

  it('keeps a member’s allocation strategy and counts a change of it, not a reordering of topics, as a membership change', async () => {
    const changes: string[] = [];
    service.onGroupChange((group) => changes.push(group));
    await service.heartbeat({ group: 'g', clientId: 'a', topics: ['t2', 't1'], messageModel: 'CLUSTERING' });
    await service.heartbeat({ group: 'g', clientId: 'a', topics: ['t2', 't1'], messageModel: 'CLUSTERING' });
    expect(changes).toEqual(['g']);
    await service.heartbeat({ group: 'g', clientId: 'a', topics: ['t1', 't2'], messageModel: 'CLUSTERING', allocationStrategy: 'sticky' });
    expect(changes).toEqual(['g', 'g']);
    expect(await service.listGroupMembers('g')).toMatchObject([{ clientId: 'a', topics: ['t1', 't2'], allocationStrategy: 'sticky' }]);
  });

  it('removes a member that stops heartbeating after the session timeout', async () => {
    const changes: string[] = [];
    service.onGroupChange((group) => changes.push(group));
    await service.heartbeat({ group: 'g', clientId: 'a', topics: ['t'], messageModel: 'CLUSTERING' });
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await service.listGroupMembers('g')).toEqual([]);
    expect(changes).toEqual(['g', 'g']);
  });

  it('grants a lease to one holder until it expires or is released', async () => {
    expect(await service.acquireLease('queue-0', 'a', 100)).toBe(true);
    expect(await service.acquireLease('queue-0', 'b', 100)).toBe(false);
    expect(await service.acquireLease('queue-0', 'a', 100)).toBe(true);
    await service.releaseLease('queue-0', 'a');
    expect(await service.acquireLease('queue-0', 'b', 20)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await service.acquireLease('queue-0', 'a', 100)).toBe(true);
  });

  it('keeps broker registrations and topic routes', async () => {
    await service.registerBroker({ brokerName: 'b', nodeId: 'n1', endpoints: { native: '127.0.0.1:1' }, startedAt: 1 });
    await service.publishTopicRoute({ topic: 't', brokerName: 'b', writeQueueCount: 4, readQueueCount: 4 });
    expect(await service.listBrokers()).toHaveLength(1);
    expect(await service.getTopicRoutes('t')).toEqual([{ topic: 't', brokerName: 'b', writeQueueCount: 4, readQueueCount: 4 }]);
    await service.removeTopicRoute('t');
    await service.unregisterBroker('n1');
    expect(await service.getTopicRoutes('t')).toEqual([]);
    expect(await service.listBrokers()).toEqual([]);
  });
});
