import { ErrorCode } from '@tessera/kernel';
import { ResponseCode } from '@tessera/wire';

// The SDK cannot import the kernel, so wire duplicates its error codes; this keeps them equal.
describe('ResponseCode', () => {
  it('matches the kernel ErrorCode name for name and number for number, plus SUCCESS = 0', () => {
    const numericEntries = (e: object) => Object.entries(e).filter(([, value]) => typeof value === 'number');
    expect(numericEntries(ResponseCode)).toEqual([['SUCCESS', 0], ...numericEntries(ErrorCode)]);
  });
});
