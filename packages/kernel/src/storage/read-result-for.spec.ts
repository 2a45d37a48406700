import { readResultFor, readResultOutsideRange } from './read-result-for';

describe('readResultOutsideRange', () => {
  const range = { minOffset: 10, maxOffset: 20 };

  it('sends an offset below the retained range to its start, and one at or past the end to the end', () => {
    expect(readResultOutsideRange(range, 3)).toEqual(readResultFor(range, 'OFFSET_TOO_SMALL', 10));
    expect(readResultOutsideRange(range, 20)).toEqual(readResultFor(range, 'NO_NEW_MESSAGE', 20));
    expect(readResultOutsideRange(range, 25)).toEqual({ status: 'OFFSET_OVERFLOW', messages: [], nextOffset: 20, minOffset: 10, maxOffset: 20 });
  });

  it('leaves an offset inside the range to the engine', () => {
    expect(readResultOutsideRange(range, 10)).toBeUndefined();
    expect(readResultOutsideRange(range, 19)).toBeUndefined();
  });
});
