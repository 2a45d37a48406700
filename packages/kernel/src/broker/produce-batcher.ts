import type { MessageInput } from '../message/message-input';
import type { Broker } from './broker';

/** Called once the message is durable (no argument) or was refused. */
export type ProduceCallback = (error?: unknown) => void;

interface PendingMessage {
  message: MessageInput;
  done: ProduceCallback;
}

/**
 * For protocol fronts: collects the messages clients send in one turn of the event loop (a socket
 * read holds many) into one produce call per client: the store's per-call cost (a flush under
 * SYNC) is paid once per batch. A batch the kernel refuses is stored message by message, so only
 * the bad one fails.
 */
export class ProduceBatcher {
  private pending = new Map<string, PendingMessage[]>();
  private scheduled = false;

  constructor(
    private readonly broker: Broker,
    /** The front's name for ProduceContext.protocol, e.g. 'mqtt'. */
    private readonly protocol: string,
  ) {}

  /** Calls `done` once the message is durable under the broker's flush policy, or refused (a callback: no promise per message). */
  submit(message: MessageInput, clientId: string, done: ProduceCallback): void {
    const batch = this.pending.get(clientId);
    if (batch) batch.push({ message, done });
    else this.pending.set(clientId, [{ message, done }]);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    const batches = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const [clientId, batch] of batches) void this.store(batch, clientId);
  }

  private async store(batch: PendingMessage[], clientId: string): Promise<void> {
    try {
      await this.broker.produce(
        batch.map((pending) => pending.message),
        { protocol: this.protocol, clientId },
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.done(error ?? new Error('the store refused the message'));
        return;
      }
      for (const pending of batch) await this.store([pending], clientId);
      return;
    }
    for (const pending of batch) pending.done();
  }
}
