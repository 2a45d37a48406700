import { inject, injectable } from 'inversify';
import { Broker, type LifecycleContribution } from '@tessera/kernel';
import { TransactionService } from './transaction-service';

/**
 * Starts and stops the transaction service, handing it the broker. The service cannot take the
 * broker in its constructor: the broker takes every MessageHooks and the TransactionCoordinator in its own.
 */
@injectable()
export class TransactionServiceAttachment implements LifecycleContribution {
  readonly name = 'feature-transaction';

  constructor(
    @inject(Broker) private readonly broker: Broker,
    @inject(TransactionService) private readonly service: TransactionService,
  ) {}

  onStart(): Promise<void> {
    return this.service.start(this.broker);
  }

  onStop(): Promise<void> {
    return this.service.stop();
  }
}
