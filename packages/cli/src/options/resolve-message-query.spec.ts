import { CliUsageError } from './cli-usage-error';
import { resolveMessageQuery } from './resolve-message-query';

describe('resolveMessageQuery', () => {
  it('looks up by key or by a time range', () => {
    expect(resolveMessageQuery({ key: 'order-1' })).toEqual({ key: 'order-1' });
    expect(resolveMessageQuery({ from: 1000, to: 2000 })).toEqual({ from: 1000, to: 2000 });
    expect(resolveMessageQuery({ from: 1000, to: 1000 })).toEqual({ from: 1000, to: 1000 });
  });

  it.each([
    [{}, 'message query needs --key K or --from ISO --to ISO'],
    [{ key: 'k', from: 1000, to: 2000 }, 'use either --key or --from/--to, not both'],
    [{ key: 'k', to: 2000 }, 'use either --key or --from/--to, not both'],
    [{ from: 1000 }, 'a time range needs both --from and --to'],
    [{ to: 1000 }, 'a time range needs both --from and --to'],
    [{ from: 2000, to: 1000 }, '--from must be at or before --to'],
  ])('refuses %j', (options, message) => {
    expect(() => resolveMessageQuery(options)).toThrow(new CliUsageError(message));
  });
});
