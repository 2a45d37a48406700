import { planProduce } from './produce-plan';

describe('planProduce', () => {
  it('sends --body once by default', () => {
    const plan = planProduce({ topic: 'orders', body: 'hello', key: 'k1', tag: 'TagA', property: { a: '1' } });
    expect(plan).toEqual({
      topic: 'orders',
      count: 1,
      batchSize: 1,
      body: Buffer.from('hello'),
      tag: 'TagA',
      keys: ['k1'],
      properties: { a: '1' },
    });
  });

  it('makes a printable body of exactly --size bytes for --count messages', () => {
    const plan = planProduce({ topic: 't', count: 1000, size: 1024, batch: 100 });
    expect(plan.count).toBe(1000);
    expect(plan.batchSize).toBe(100);
    expect(plan.body.length).toBe(1024);
    expect(plan.body.toString()).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(plan.keys).toBeUndefined();
  });

  it('needs exactly one of --body and --size', () => {
    expect(() => planProduce({ topic: 't' })).toThrow('exactly one of --body TEXT or --size BYTES');
    expect(() => planProduce({ topic: 't', body: 'x', size: 3 })).toThrow('exactly one of --body TEXT or --size BYTES');
  });

  it('schedules the messages with one of --delay-level, --delay-ms and --deliver-at', () => {
    expect(planProduce({ topic: 't', body: 'x', delayLevel: 3 }).delay).toEqual({ delayLevel: 3 });
    expect(planProduce({ topic: 't', body: 'x', delayMs: 2500 }).delay).toEqual({ delayMs: 2500 });
    expect(planProduce({ topic: 't', body: 'x', deliverAt: 1_900_000_000_000 }).delay).toEqual({ deliverAt: 1_900_000_000_000 });
    expect(planProduce({ topic: 't', body: 'x' }).delay).toBeUndefined();
    expect(() => planProduce({ topic: 't', body: 'x', delayLevel: 1, deliverAt: 1 })).toThrow(
      'produce takes at most one of --delay-level, --delay-ms and --deliver-at',
    );
  });

  it('refuses a batch larger than the count', () => {
    expect(() => planProduce({ topic: 't', body: 'x', count: 10, batch: 20 })).toThrow('--batch (20) cannot exceed --count (10)');
  });
});
