import { publisherQueueOf } from './publisher-queue';

describe('publisherQueueOf', () => {
  it('gives one link one queue, and spreads links over the queues', () => {
    expect(publisherQueueOf('amqp-1/sender', 8)).toBe(publisherQueueOf('amqp-1/sender', 8));
    const queues = new Set(Array.from({ length: 64 }, (_, i) => publisherQueueOf(`amqp-${i}/sender`, 8)));
    expect(queues.size).toBeGreaterThan(4);
    expect([...queues].every((q) => q >= 0 && q < 8)).toBe(true);
  });
});
