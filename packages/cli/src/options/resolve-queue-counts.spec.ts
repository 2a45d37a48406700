import { resolveQueueCounts } from './resolve-queue-counts';

describe('resolveQueueCounts', () => {
  it('sets both counts from --queues', () => {
    expect(resolveQueueCounts({ queues: 8 })).toEqual({ writeQueueCount: 8, readQueueCount: 8 });
  });

  it('sets write and read counts apart, leaving out what was not given', () => {
    expect(resolveQueueCounts({ writeQueues: 4, readQueues: 8 })).toEqual({ writeQueueCount: 4, readQueueCount: 8 });
    expect(resolveQueueCounts({ readQueues: 2 })).toEqual({ readQueueCount: 2 });
    expect(resolveQueueCounts({})).toEqual({});
  });

  it('refuses --queues mixed with the separate counts', () => {
    expect(() => resolveQueueCounts({ queues: 8, readQueues: 4 })).toThrow('use either --queues or --write-queues/--read-queues');
  });
});
