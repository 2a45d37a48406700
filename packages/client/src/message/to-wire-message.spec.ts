import { SystemProperties } from '@tessera/kernel';
import { TesseraClientError } from '../errors/tessera-client-error';
import { toWireMessage } from './to-wire-message';

describe('toWireMessage', () => {
  it('sends a string body as UTF-8 and the properties as they are', () => {
    const properties = { a: '1' };
    const wire = toWireMessage({ topic: 't', body: 'héllo', tag: 'T', keys: ['k'], properties }, 2, 1000);
    expect(wire).toEqual({ topic: 't', queueId: 2, body: Buffer.from('héllo'), tag: 'T', keys: ['k'], properties, bornTimestamp: 1000, flag: 0, reconsumeTimes: 0 });
    expect(wire.properties).toBe(properties);
  });

  it('asks for a delay through the property the broker reads', () => {
    const at = new Date('2030-01-02T03:04:05.678Z');
    expect(toWireMessage({ topic: 't', body: 'x', delayLevel: 3, properties: { a: '1' } }, 0, 0).properties).toEqual({ a: '1', [SystemProperties.DELAY_LEVEL]: '3' });
    expect(toWireMessage({ topic: 't', body: 'x', delayMs: 2500 }, 0, 0).properties).toEqual({ [SystemProperties.DELAY_MS]: '2500' });
    expect(toWireMessage({ topic: 't', body: 'x', deliverAt: at }, 0, 0).properties).toEqual({ [SystemProperties.DELIVER_AT]: String(at.getTime()) });
    expect(toWireMessage({ topic: 't', body: 'x', deliverAt: 1234 }, 0, 0).properties).toEqual({ [SystemProperties.DELIVER_AT]: '1234' });
  });

  it('refuses a message asking for two kinds of delay', () => {
    expect(() => toWireMessage({ topic: 't', body: 'x', delayLevel: 1, delayMs: 5 }, 0, 0)).toThrow(
      new TesseraClientError('BAD_ARGUMENT', 'a message takes at most one of delayLevel, deliverAt and delayMs'),
    );
  });
});
