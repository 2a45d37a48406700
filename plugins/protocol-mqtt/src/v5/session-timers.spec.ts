import { SessionTimers } from './session-timers';

describe('SessionTimers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs an action after its delay unless cancelled, and a new schedule replaces the old one', () => {
    const timers = new SessionTimers();
    const fired: string[] = [];
    timers.schedule('a', 1_000, () => fired.push('a1'));
    timers.schedule('a', 2_000, () => fired.push('a2'));
    timers.schedule('b', 500, () => fired.push('b'));
    timers.cancel('b');
    jest.advanceTimersByTime(1_500);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(600);
    expect(fired).toEqual(['a2']);
    expect(timers.size).toBe(0);
  });

  it("waits past setTimeout's 24.8-day limit", () => {
    const timers = new SessionTimers();
    const fired: string[] = [];
    const days40 = 40 * 24 * 3600 * 1000;
    timers.schedule('long', days40, () => fired.push('long'));
    jest.advanceTimersByTime(2 ** 31);
    expect(fired).toEqual([]);
    expect(timers.has('long')).toBe(true);
    jest.advanceTimersByTime(days40 - 2 ** 31);
    expect(fired).toEqual(['long']);
  });
});
