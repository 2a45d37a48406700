import { ContainerModule } from 'inversify';
import { MessageHooks, type TesseraPlugin } from '@tessera/kernel';
import { featureRetryOptionsSchema, type FeatureRetryOptions } from './feature-retry-options';
import { RetryHooks } from './retry-hooks';
import { RetryPolicy } from './retry-policy';

/** Retry topics with backoff and dead-letter queues for messages consumers fail. Backoff needs @tessera/feature-delay. */
export const featureRetryPlugin: TesseraPlugin<FeatureRetryOptions> = {
  name: '@tessera/feature-retry',
  kind: 'feature',
  optionsSchema: featureRetryOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(RetryPolicy).toConstantValue(new RetryPolicy(options));
      bind(RetryHooks).toSelf().inSingletonScope();
      bind(MessageHooks).toService(RetryHooks);
    }),
};
