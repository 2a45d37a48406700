import { consumerOutcomeOf } from './consumer-outcome';

describe('consumerOutcomeOf', () => {
  it.each([
    ['accepted', undefined, { action: 'ack' }],
    ['settled', undefined, { action: 'ack' }],
    ['released', undefined, { action: 'release', notHere: false }],
    ['modified', { delivery_failed: true }, { action: 'redeliver', afterMs: 1500, notHere: false }],
    ['modified', { delivery_failed: false }, { action: 'release', notHere: false }],
    ['modified', {}, { action: 'release', notHere: false }],
    ['modified', { delivery_failed: true, undeliverable_here: true }, { action: 'redeliver', afterMs: 1500, notHere: true }],
    ['modified', { undeliverable_here: true }, { action: 'release', notHere: true }],
    ['rejected', { error: { condition: 'app:bad-order', description: 'no such sku' } }, { action: 'dead-letter', reason: 'app:bad-order: no such sku' }],
    ['rejected', {}, { action: 'dead-letter', reason: 'rejected by an AMQP consumer' }],
  ] as const)('%s %j', (type, state, expected) => {
    expect(consumerOutcomeOf(type, state, 1500)).toEqual(expected);
  });
});
