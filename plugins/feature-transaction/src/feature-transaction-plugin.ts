import { ContainerModule } from 'inversify';
import { LifecycleContribution, MessageHooks, TransactionCoordinator, type TesseraPlugin } from '@tessera/kernel';
import { defaultFeatureTransactionOptions, FeatureTransactionOptions, featureTransactionOptionsSchema } from './feature-transaction-options';
import { TransactionService } from './transaction-service';

/** Transactional messages with check-back (RocketMQ's model); producers use @tessera/client's TransactionProducer. */
export const featureTransactionPlugin: TesseraPlugin<FeatureTransactionOptions> = {
  name: '@tessera/feature-transaction',
  kind: 'feature',
  optionsSchema: featureTransactionOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(FeatureTransactionOptions).toConstantValue({ ...defaultFeatureTransactionOptions, ...options });
      bind(TransactionService).toSelf().inSingletonScope();
      bind(MessageHooks).toService(TransactionService);
      bind(TransactionCoordinator).toService(TransactionService);
      bind(LifecycleContribution).toService(TransactionService);
    }),
};
