/** What a raw test connection received, in order, and whether its socket closed: waited on with a bound. */
export class Arrivals<Item> {
  private readonly items: Item[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  get closed(): boolean {
    return this.ended;
  }

  push(item: Item): void {
    this.items.push(item);
    this.wake?.();
  }

  close(): void {
    this.ended = true;
    this.wake?.();
  }

  /** The next item; 'closed' once the socket closed with nothing left, 'silent' after `timeoutMs`. */
  async next(timeoutMs: number): Promise<Item | 'closed' | 'silent'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.items.length > 0) return this.items.shift()!;
      if (this.ended) return 'closed';
      const remaining = deadline - Date.now();
      if (remaining <= 0) return 'silent';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
