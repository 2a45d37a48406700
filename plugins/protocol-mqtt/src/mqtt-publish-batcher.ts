import type { Broker, MessageInput } from '@tessera/kernel';

interface PendingPublish {
  message: MessageInput;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Collects the publishes that arrive in one turn of the event loop (a socket read holds many)
 * into one produce call per client: the store's per-call cost is paid once per batch.
 */
export class MqttPublishBatcher {
  private pending = new Map<string, PendingPublish[]>();
  private scheduled = false;

  constructor(private readonly broker: Broker) {}

  /** Resolves once the message is durable under the broker's flush policy. */
  publish(message: MessageInput, clientId: string): Promise<void> {
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
    for (const [clientId, batch] of batches) void this.produce(batch, clientId);
  }

  private async produce(batch: PendingPublish[], clientId: string): Promise<void> {
    try {
      await this.broker.produce(
        batch.map((p) => p.message),
        { protocol: 'mqtt', clientId },
      );
      for (const publish of batch) publish.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad message fails the whole call: store the others alone so only it is refused.
      for (const publish of batch) await this.produce([publish], clientId);
    }
  }
}
