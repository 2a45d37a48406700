import { TesseraClientError } from '../errors/tessera-client-error';
import { wireSubscriptionFor } from './wire-subscription-for';

describe('wireSubscriptionFor', () => {
  it('sends no subscription for every tag', () => {
    expect(wireSubscriptionFor(undefined, undefined)).toBeUndefined();
    expect(wireSubscriptionFor(' * ', undefined)).toBeUndefined();
    expect(wireSubscriptionFor('', undefined)).toBeUndefined();
  });

  it('sends a TAG subscription for tags and a SQL92 one for SQL, as written', () => {
    expect(wireSubscriptionFor(' A || B ', undefined)).toEqual({ expressionType: 'TAG', expression: 'A || B' });
    expect(wireSubscriptionFor(undefined, "a = 'x'")).toEqual({ expressionType: 'SQL92', expression: "a = 'x'" });
    expect(wireSubscriptionFor('*', ' a > 1')).toEqual({ expressionType: 'SQL92', expression: ' a > 1' });
  });

  it('refuses tags and SQL together', () => {
    expect(() => wireSubscriptionFor('A', 'a > 1')).toThrow(TesseraClientError);
    expect(() => wireSubscriptionFor('A', 'a > 1')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});
