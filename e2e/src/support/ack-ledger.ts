/** What became of one ack: settled, refused as stale, or lost with the connection (the broker may or may not have it). */
export type AckOutcome = 'OK' | 'STALE' | 'UNKNOWN';

interface Delivery {
  deliveryCount: number;
  consumer: string;
  /** 0 before the broker crash, 1 after: the epoch in which the receive was sent. */
  epoch: number;
  /** Ledger tick at which the delivery arrived. */
  at: number;
}

interface Ack {
  outcome: AckOutcome;
  /** Ledger ticks at which the ack was sent and its outcome known. */
  sentAt: number;
  settledAt: number;
}

interface MessageHistory {
  deliveries: Delivery[];
  acks: Ack[];
}

/**
 * Every delivery and every ack outcome of per-message-ack consumption, per message (by seq), and
 * the rules they must follow across one broker crash. Events are ordered by a tick the ledger
 * counts, so "after" means after in the test process's own view.
 */
export class AckLedger {
  private tick = 0;
  private crashEpoch = 0;
  private readonly histories: MessageHistory[];
  okAcks = 0;
  staleAcks = 0;
  unknownAcks = 0;
  deliveries = 0;
  /** Date.now() of the last delivery, to tell when the broker has gone quiet. */
  lastDeliveryAt = 0;

  constructor(readonly messageCount: number) {
    this.histories = Array.from({ length: messageCount }, () => ({ deliveries: [], acks: [] }));
  }

  get epoch(): number {
    return this.crashEpoch;
  }

  /** Marks the crash: receives sent from now on are in the next epoch. */
  crashed(): void {
    this.crashEpoch++;
  }

  delivered(seq: number, deliveryCount: number, consumer: string, epoch: number): void {
    this.history(seq).deliveries.push({ deliveryCount, consumer, epoch, at: this.tick++ });
    this.deliveries++;
    this.lastDeliveryAt = Date.now();
  }

  /** Call just before sending an ack; pass what it returns to `acked`. */
  ackSent(): number {
    return this.tick++;
  }

  acked(seq: number, outcome: AckOutcome, sentAt: number): void {
    this.history(seq).acks.push({ outcome, sentAt, settledAt: this.tick++ });
    if (outcome === 'OK') this.okAcks++;
    else if (outcome === 'STALE') this.staleAcks++;
    else this.unknownAcks++;
  }

  /** Messages acked OK, or whose last ack has an unknown outcome and that were not delivered since. */
  settledCount(): number {
    return this.histories.filter((h) => {
      const lastAck = h.acks.at(-1);
      if (h.acks.some((a) => a.outcome === 'OK')) return true;
      return lastAck?.outcome === 'UNKNOWN' && h.deliveries.at(-1)!.at < lastAck.sentAt;
    }).length;
  }

  /** Messages with an ack whose outcome was lost. */
  unknownCount(): number {
    return this.histories.filter((h) => h.acks.some((a) => a.outcome === 'UNKNOWN')).length;
  }

  /** Everything that breaks the rules, one line per message (empty when all is well). */
  problems(): string[] {
    const problems: string[] = [];
    this.histories.forEach((history, seq) => {
      const problem = this.problemOf(history);
      if (problem) problems.push(`seq ${seq}: ${problem} (${describe(history)})`);
    });
    return problems;
  }

  private problemOf({ deliveries, acks }: MessageHistory): string | undefined {
    if (deliveries.length === 0) return 'never delivered';
    const ok = acks.filter((a) => a.outcome === 'OK');
    if (ok.length > 1) return `acked OK ${ok.length} times`;
    if (ok.length === 1 && deliveries.some((d) => d.at > ok[0]!.settledAt)) return 'delivered again after an OK ack';
    if (ok.length === 0) {
      const unknown = acks.filter((a) => a.outcome === 'UNKNOWN').at(-1);
      if (!unknown) return 'never acked OK';
      // The lost ack must then have been durable: the broker may never hand the message out again.
      if (deliveries.some((d) => d.at > unknown.sentAt)) return 'never acked OK, yet delivered after an ack whose outcome was lost';
    }
    return this.deliveryCountProblem(deliveries);
  }

  /**
   * Counts start at 1 and rise by one per delivery. Across the crash one more is allowed: a lease
   * the broker granted (durably) whose answer died with it.
   */
  private deliveryCountProblem(deliveries: readonly Delivery[]): string | undefined {
    const first = deliveries[0]!;
    const firstAllowed = first.epoch === 0 ? [1] : [1, 2];
    if (!firstAllowed.includes(first.deliveryCount)) return `first delivery has count ${first.deliveryCount}`;
    for (let i = 1; i < deliveries.length; i++) {
      const previous = deliveries[i - 1]!;
      const current = deliveries[i]!;
      const step = current.deliveryCount - previous.deliveryCount;
      const allowed = current.epoch === previous.epoch ? [1] : [1, 2];
      if (!allowed.includes(step)) return `delivery count ${current.deliveryCount} follows ${previous.deliveryCount}`;
    }
    return undefined;
  }

  private history(seq: number): MessageHistory {
    const history = this.histories[seq];
    if (!history) throw new Error(`seq ${seq} is outside 0…${this.messageCount - 1}`);
    return history;
  }
}

function describe({ deliveries, acks }: MessageHistory): string {
  const events = [
    ...deliveries.map((d) => ({ at: d.at, text: `#${d.deliveryCount}@${d.consumer}/e${d.epoch}` })),
    ...acks.map((a) => ({ at: a.settledAt, text: `ack:${a.outcome}` })),
  ];
  return events
    .sort((a, b) => a.at - b.at)
    .map((e) => e.text)
    .join(' ');
}
