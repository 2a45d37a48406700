import type { Broker, MessageInput } from '@tessera/kernel';

interface PendingTransfer {
  message: MessageInput;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Collects the transfers that arrive in one turn of the event loop (a socket read holds many)
 * into one produce call per connection: the store's per-call cost (a flush under SYNC) is paid
 * once per batch. A batch the kernel refuses is stored message by message, so only the bad one fails.
 */
export class AmqpProduceBatcher {
  private pending = new Map<string, PendingTransfer[]>();
  private scheduled = false;

  constructor(private readonly broker: Broker) {}

  /** Resolves once the message is durable under the broker's flush policy. */
  produce(message: MessageInput, clientId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const batch = this.pending.get(clientId);
      if (batch) batch.push({ message, resolve, reject });
      else this.pending.set(clientId, [{ message, resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batches = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const [clientId, batch] of batches) void this.store(batch, clientId);
  }

  private async store(batch: PendingTransfer[], clientId: string): Promise<void> {
    try {
      await this.broker.produce(
        batch.map((transfer) => transfer.message),
        { protocol: 'amqp', clientId },
      );
      for (const transfer of batch) transfer.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const transfer of batch) await this.store([transfer], clientId);
    }
  }
}
