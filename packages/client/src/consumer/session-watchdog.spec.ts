import { SessionWatchdog } from './session-watchdog';

describe('SessionWatchdog', () => {
  let expiries: number;
  let watchdog: SessionWatchdog;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    expiries = 0;
    watchdog = new SessionWatchdog(() => expiries++);
  });

  afterEach(() => {
    watchdog.stop();
    jest.useRealTimers();
  });

  it('expires a tenth of the session timeout early, counted from when the answered request was sent', () => {
    watchdog.answered(Date.now() - 100, 1000);
    jest.advanceTimersByTime(799);
    expect(watchdog.isExpired).toBe(false);
    jest.advanceTimersByTime(1);
    expect(watchdog.isExpired).toBe(true);
    expect(expiries).toBe(1);
  });

  it('is renewed by a later request, not by a late answer to an older one', () => {
    watchdog.answered(Date.now(), 1000);
    jest.advanceTimersByTime(500);
    watchdog.answered(Date.now(), 1000);
    watchdog.answered(Date.now() - 600, 1000);
    jest.advanceTimersByTime(899);
    expect(expiries).toBe(0);
    jest.advanceTimersByTime(1);
    expect(expiries).toBe(1);
  });

  it('starts a new session with the next answer after an expiry', () => {
    watchdog.answered(Date.now(), 1000);
    jest.advanceTimersByTime(5000);
    expect(expiries).toBe(1);
    watchdog.answered(Date.now(), 1000);
    expect(watchdog.isExpired).toBe(false);
    jest.advanceTimersByTime(900);
    expect(expiries).toBe(2);
  });
});
