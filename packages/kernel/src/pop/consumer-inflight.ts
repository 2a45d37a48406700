/** What one consumer (a group's client id) holds leased now. */
export interface InflightCount {
  readonly key: string;
  readonly clientId: string;
  messages: number;
  bytes: number;
}

/**
 * Leased messages and body bytes per consumer, for the per-consumer limits. A lease keeps its
 * consumer's count object, so settling it needs no lookup; a count back at zero is forgotten.
 */
export class ConsumerInflight {
  private readonly counts = new Map<string, InflightCount>();

  /** The consumer's count, created if it holds nothing; add to it in the same tick, or it stays behind empty. */
  of(group: string, clientId: string): InflightCount {
    const key = countKey(group, clientId);
    let count = this.counts.get(key);
    if (!count) this.counts.set(key, (count = { key, clientId, messages: 0, bytes: 0 }));
    return count;
  }

  /** The consumer's count without creating one. */
  peek(group: string, clientId: string): Readonly<InflightCount> | undefined {
    return this.counts.get(countKey(group, clientId));
  }

  add(count: InflightCount, bytes: number): void {
    // A count that fell to zero was forgotten; one that is added to again (a lease replaced in place) comes back.
    if (count.messages++ === 0) this.counts.set(count.key, count);
    count.bytes += bytes;
  }

  remove(count: InflightCount, bytes: number): void {
    count.messages--;
    count.bytes -= bytes;
    if (count.messages === 0) this.counts.delete(count.key);
  }

  /** Consumers holding at least one lease. */
  get size(): number {
    return this.counts.size;
  }
}

function countKey(group: string, clientId: string): string {
  return `${group}\u0000${clientId}`;
}
