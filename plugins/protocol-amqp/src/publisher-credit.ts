/**
 * Link credit of one publishing link: the client may have at most `window` transfers granted
 * or waiting for the store. Credit is granted again once half the window has been settled, so
 * a publisher faster than the store slows down instead of filling memory.
 */
export class PublisherCredit {
  private unsettled = 0;

  constructor(private readonly window: number) {}

  /** Credit to grant when the link opens. */
  initial(): number {
    return this.window;
  }

  transferArrived(): void {
    this.unsettled++;
  }

  /** A transfer was settled; returns the credit to grant now (0: none yet). `remaining` is the credit the client still has. */
  settled(remaining: number): number {
    this.unsettled--;
    const room = this.window - remaining - this.unsettled;
    return room >= this.window / 2 ? room : 0;
  }
}
