/**
 * Tells a group member when its session has probably run out at the broker: no request of it was
 * answered for the session timeout, counted from when the last answered one was sent (the broker
 * saw it no earlier), minus a tenth so the member stops before the broker can give its queues away.
 * Calls `onExpired` once per expiry; the next answered request starts a new session.
 */
export class SessionWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private expired = false;

  constructor(private readonly onExpired: () => void) {}

  /** A request sent at `sentAt` was answered; the broker's session timeout is `sessionTimeoutMs`. */
  answered(sentAt: number, sessionTimeoutMs: number): void {
    if (sentAt < this.lastSentAt) return;
    this.lastSentAt = sentAt;
    this.expired = false;
    clearTimeout(this.timer);
    const deadline = sentAt + sessionTimeoutMs * 0.9;
    this.timer = setTimeout(() => this.expire(), Math.max(0, deadline - Date.now()));
    this.timer.unref();
  }

  get isExpired(): boolean {
    return this.expired;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expire(): void {
    this.timer = undefined;
    this.expired = true;
    this.onExpired();
  }
}
