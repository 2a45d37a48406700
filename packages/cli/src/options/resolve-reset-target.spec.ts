import { CliUsageError } from './cli-usage-error';
import { resolveResetTarget } from './resolve-reset-target';

describe('resolveResetTarget', () => {
  it('takes an offset or a time', () => {
    expect(resolveResetTarget({ toOffset: 0 })).toEqual({ toOffset: 0 });
    expect(resolveResetTarget({ toTime: 1_740_830_400_000 })).toEqual({ toTimestamp: 1_740_830_400_000 });
  });

  it('refuses both or neither', () => {
    expect(() => resolveResetTarget({ toOffset: 1, toTime: 2 })).toThrow('use either --to-offset or --to-time, not both');
    expect(() => resolveResetTarget({})).toThrow(CliUsageError);
  });
});
