/** setTimeout's longest delay; longer ones (an MQTT 5 interval reaches 136 years) are re-armed. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Pending {
  timer: NodeJS.Timeout;
  deadline: number;
  action: () => void;
}

/**
 * Timers keyed by client id, for what happens after a v5 client went away: its session's expiry
 * and its delayed will. A client that connects again with the same id cancels both.
 */
export class SessionTimers {
  private readonly pending = new Map<string, Pending>();

  /** Runs `action` in `delayMs` unless `cancel(key)` comes first; replaces a timer of the same key. */
  schedule(key: string, delayMs: number, action: () => void): void {
    this.cancel(key);
    const entry: Pending = { timer: undefined as unknown as NodeJS.Timeout, deadline: Date.now() + delayMs, action };
    this.arm(key, entry);
  }

  cancel(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  get size(): number {
    return this.pending.size;
  }

  clear(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }

  private arm(key: string, entry: Pending): void {
    const wait = Math.max(0, entry.deadline - Date.now());
    entry.timer = setTimeout(() => {
      if (this.pending.get(key) !== entry) return;
      if (Date.now() < entry.deadline) {
        this.arm(key, entry);
        return;
      }
      this.pending.delete(key);
      entry.action();
    }, Math.min(wait, MAX_TIMEOUT_MS));
    entry.timer.unref();
    this.pending.set(key, entry);
  }
}
