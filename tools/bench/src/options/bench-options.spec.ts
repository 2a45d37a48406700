import { parseBenchOptions } from './bench-options';

describe('parseBenchOptions', () => {
  const silence = () => jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

  it('defaults to 10-second phases, 3 with --quick, or what --duration says', () => {
    expect(parseBenchOptions(['native'])).toEqual({ suite: 'native', quick: false, phaseMs: 10_000 });
    expect(parseBenchOptions(['native', '--quick'])).toEqual({ suite: 'native', quick: true, phaseMs: 3_000 });
    expect(parseBenchOptions(['native', '--quick', '--duration', '1.5'])).toEqual({ suite: 'native', quick: true, phaseMs: 1_500 });
    expect(parseBenchOptions(['group', '--quick'])).toEqual({ suite: 'group', quick: true, phaseMs: 3_000 });
    expect(parseBenchOptions(['mqtt', '--quick'])).toEqual({ suite: 'mqtt', quick: true, phaseMs: 3_000 });
    expect(parseBenchOptions(['amqp', '--duration', '5'])).toEqual({ suite: 'amqp', quick: false, phaseMs: 5_000 });
  });

  it('refuses an unknown suite and a bad duration', () => {
    const stderr = silence();
    expect(() => parseBenchOptions(['kafka'])).toThrow(/unknown suite/);
    expect(() => parseBenchOptions(['native', '--duration', 'long'])).toThrow(/positive number of seconds/);
    stderr.mockRestore();
  });
});
