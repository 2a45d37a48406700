import { SystemProperties } from '@tessera/kernel';
import { deliveryDelayOf } from './delivery-delay';

describe('deliveryDelayOf', () => {
  it('maps a delivery time (timestamp or ms) to __DELIVER_AT and a delay to __DELAY_MS', () => {
    expect(deliveryDelayOf({ 'x-opt-delivery-time': new Date(1_700_000_000_000) })).toEqual({ [SystemProperties.DELIVER_AT]: '1700000000000' });
    expect(deliveryDelayOf({ 'x-opt-scheduled-enqueue-time': 1_700_000_000_500 })).toEqual({ [SystemProperties.DELIVER_AT]: '1700000000500' });
    expect(deliveryDelayOf({ 'x-opt-delivery-delay': 1500 })).toEqual({ [SystemProperties.DELAY_MS]: '1500' });
  });

  it('asks for nothing without those annotations, or with a zero delay', () => {
    expect(deliveryDelayOf(undefined)).toEqual({});
    expect(deliveryDelayOf({ 'x-opt-other': 5 })).toEqual({});
    expect(deliveryDelayOf({ 'x-opt-delivery-delay': 0 })).toEqual({});
  });

  it('refuses values that are not whole non-negative ms, and a message asking for two', () => {
    for (const bad of [-1, 1.5, 'soon', true, Number.MAX_SAFE_INTEGER * 2]) {
      expect(() => deliveryDelayOf({ 'x-opt-delivery-delay': bad })).toThrow(expect.objectContaining({ condition: 'amqp:invalid-field' }));
    }
    expect(() => deliveryDelayOf({ 'x-opt-delivery-delay': 10, 'x-opt-delivery-time': 5 })).toThrow(
      expect.objectContaining({ condition: 'amqp:invalid-field' }),
    );
  });
});
