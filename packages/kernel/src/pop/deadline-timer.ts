import type { Deadline, DeadlineHeap } from './deadline-heap';

/** setTimeout's longest delay; a later deadline is reached in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** One timer for a whole DeadlineHeap, set for its earliest item; calls `onDue` when that time comes. */
export class DeadlineTimer<T extends Deadline> {
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly heap: DeadlineHeap<T>,
    private readonly onDue: () => void,
  ) {}

  /** Call after adding to the heap: moves the timer earlier if the heap's earliest item is. */
  schedule(): void {
    const next = this.heap.peek();
    if (this.stopped || !next || (this.timer && this.timerAt <= next.dueAt)) return;
    clearTimeout(this.timer);
    this.timerAt = next.dueAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onDue();
      this.schedule();
    }, Math.min(MAX_TIMER_DELAY_MS, Math.max(0, next.dueAt - Date.now())));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
