import { inject, injectable } from 'inversify';
import { KERNEL_TOPIC_PREFIX, type AppendMessage, type MessageHooks } from '@tessera/kernel';
import { DelayOptions } from './delay-options';
import { DelayPolicy } from './delay-policy';
import { parkMessage } from './park-message';

/**
 * Parks every message of a batch that asks for a delay: it is rewritten into the delay topic in
 * the same append, so the producer's ack means the scheduled message is durable. The scheduler
 * finds it there. Messages another plugin already moved to its own system topic are left alone.
 */
@injectable()
export class DelayProduceHook implements MessageHooks {
  readonly name = 'feature-delay';

  constructor(
    @inject(DelayPolicy) private readonly policy: DelayPolicy,
    @inject(DelayOptions) private readonly options: DelayOptions,
  ) {}

  onProduce(batch: AppendMessage[]): void {
    let now: number | undefined;
    for (const message of batch) {
      if (!message.properties || message.topic.startsWith(KERNEL_TOPIC_PREFIX)) continue;
      now ??= Date.now();
      const dueAt = this.policy.dueTimeOf(message.properties, now);
      if (dueAt !== undefined) parkMessage(message, dueAt, now, this.options.rollAfterMs);
    }
  }
}
