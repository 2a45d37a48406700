import type { Broker, SettleResult } from '@tessera/kernel';

interface Pending {
  receipt: string;
  resolve(result: SettleResult): void;
  reject(error: unknown): void;
}

/**
 * Collects one group's acks, releases and nacks made in one turn of the event loop (a disposition
 * frame settles a range of deliveries at once) into one kernel call per kind and delay.
 */
export class SettlementBatcher {
  private acks: Pending[] = [];
  private releases: Pending[] = [];
  private nacks = new Map<number, Pending[]>();
  private scheduled = false;

  constructor(
    private readonly broker: Broker,
    private readonly group: string,
  ) {}

  ack(receipt: string): Promise<SettleResult> {
    return new Promise((resolve, reject) => {
      this.acks.push({ receipt, resolve, reject });
      this.schedule();
    });
  }

  /** Visible again at once, delivery count unchanged. */
  release(receipt: string): Promise<SettleResult> {
    return new Promise((resolve, reject) => {
      this.releases.push({ receipt, resolve, reject });
      this.schedule();
    });
  }

  /** Visible again after `afterMs`, delivery count raised. */
  nack(receipt: string, afterMs: number): Promise<SettleResult> {
    return new Promise((resolve, reject) => {
      const batch = this.nacks.get(afterMs);
      if (batch) batch.push({ receipt, resolve, reject });
      else this.nacks.set(afterMs, [{ receipt, resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const { acks, releases, nacks } = this;
    this.acks = [];
    this.releases = [];
    this.nacks = new Map();
    if (acks.length > 0) void settle(acks, (receipts) => this.broker.ack(this.group, receipts));
    if (releases.length > 0) void settle(releases, (receipts) => this.broker.release(this.group, receipts));
    for (const [afterMs, batch] of nacks) void settle(batch, (receipts) => this.broker.nack(this.group, receipts, afterMs));
  }
}

async function settle(batch: Pending[], call: (receipts: string[]) => Promise<SettleResult[]>): Promise<void> {
  try {
    const results = await call(batch.map((pending) => pending.receipt));
    batch.forEach((pending, i) => pending.resolve(results[i]!));
  } catch (error) {
    for (const pending of batch) pending.reject(error);
  }
}
