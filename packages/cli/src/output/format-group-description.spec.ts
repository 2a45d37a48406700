import { formatGroupDescription } from './format-group-description';

describe('formatGroupDescription', () => {
  it('lists members with their strategy, then the owner of each queue', () => {
    const lines = formatGroupDescription('billing', {
      members: [
        { clientId: 'c-1', messageModel: 'CLUSTERING', topics: ['orders'], lastHeartbeatAt: Date.UTC(2025, 2, 1, 12), allocationStrategy: 'sticky' },
        { clientId: 'c-2', messageModel: 'BROADCASTING', topics: ['orders', 'audit'], lastHeartbeatAt: Date.UTC(2025, 2, 1, 12, 0, 1) },
      ],
      queues: [
        { topic: 'orders', queueId: 0, committedOffset: 5, minOffset: 0, maxOffset: 8, lag: 3, owner: 'c-1' },
        { topic: 'orders', queueId: 1, minOffset: 0, maxOffset: 2, lag: 2 },
      ],
    });
    expect(lines).toEqual([
      'billing\tmembers=2',
      '  member c-1\tmodel=CLUSTERING\tstrategy=sticky\ttopics=orders\tlastHeartbeat=2025-03-01T12:00:00.000Z',
      '  member c-2\tmodel=BROADCASTING\tstrategy=-\ttopics=orders,audit\tlastHeartbeat=2025-03-01T12:00:01.000Z',
      '  orders\tqueue 0\towner=c-1',
      '  orders\tqueue 1\towner=-',
    ]);
  });
});
