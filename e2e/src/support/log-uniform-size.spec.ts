import { logUniformSize } from './log-uniform-size';

describe('logUniformSize', () => {
  it('reaches both ends of the range', () => {
    expect(logUniformSize(1, 65_536, () => 0)).toBe(1);
    expect(logUniformSize(1, 65_536, () => 1)).toBe(65_536);
  });

  it('puts the median at the geometric mean, not the arithmetic one', () => {
    expect(logUniformSize(1, 65_536, () => 0.5)).toBe(256);
  });
});
