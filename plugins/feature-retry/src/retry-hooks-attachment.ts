import { inject, injectable } from 'inversify';
import { Broker, type LifecycleContribution } from '@tessera/kernel';
import { RetryHooks } from './retry-hooks';

/**
 * Hands the broker to the retry hooks at start. The hooks cannot take it in their constructor:
 * the broker takes every MessageHooks in its own.
 */
@injectable()
export class RetryHooksAttachment implements LifecycleContribution {
  readonly name = 'feature-retry';

  constructor(
    @inject(Broker) private readonly broker: Broker,
    @inject(RetryHooks) private readonly hooks: RetryHooks,
  ) {}

  async onStart(): Promise<void> {
    this.hooks.attach(this.broker);
  }
}
