import type { ProduceContext } from '../hooks/message-hooks';
import type { MessageInput } from '../message/message-input';
import type { Broker } from './broker';
import { ProduceBatcher } from './produce-batcher';

function fakeBroker(refuse: (message: MessageInput) => boolean) {
  const calls: Array<{ topics: string[]; context: ProduceContext }> = [];
  const broker = {
    produce: async (messages: readonly MessageInput[], context: ProduceContext) => {
      calls.push({ topics: messages.map((m) => m.topic), context });
      if (messages.some(refuse)) throw new Error('refused');
      return [];
    },
  } as unknown as Broker;
  return { broker, calls };
}

const message = (topic: string): MessageInput => ({ topic, body: Buffer.from(topic) });

describe('ProduceBatcher', () => {
  it('stores one client\'s publishes of the same turn in one produce call', async () => {
    const { broker, calls } = fakeBroker(() => false);
    const batcher = new ProduceBatcher(broker, 'mqtt');
    await Promise.all([batcher.produce(message('a'), 'c1'), batcher.produce(message('b'), 'c1'), batcher.produce(message('c'), 'c2')]);
    expect(calls).toEqual([
      { topics: ['a', 'b'], context: { protocol: 'mqtt', clientId: 'c1' } },
      { topics: ['c'], context: { protocol: 'mqtt', clientId: 'c2' } },
    ]);
    await batcher.produce(message('d'), 'c1');
    expect(calls).toHaveLength(3);
  });

  it('refuses only the message the store refused', async () => {
    const { broker } = fakeBroker((m) => m.topic === 'bad');
    const batcher = new ProduceBatcher(broker, 'mqtt');
    const results = await Promise.allSettled([batcher.produce(message('a'), 'c1'), batcher.produce(message('bad'), 'c1'), batcher.produce(message('b'), 'c1')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
