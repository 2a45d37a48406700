import { ContainerModule } from 'inversify';
import { LifecycleContribution, MessageHooks, type TesseraPlugin } from '@tessera/kernel';
import { DelayOptions, delayOptionsSchema } from './delay-options';
import { DelayPolicy } from './delay-policy';
import { DelayProduceHook } from './delay-produce-hook';
import { DelayScheduler } from './delay-scheduler';

/** Delayed delivery: delay levels, a delay in ms, or a time, kept on disk until due. */
export const featureDelayPlugin: TesseraPlugin<DelayOptions> = {
  name: '@tessera/feature-delay',
  kind: 'feature',
  optionsSchema: delayOptionsSchema,
  createModule: (options) => {
    const policy = new DelayPolicy(options);
    return new ContainerModule(({ bind }) => {
      bind(DelayOptions).toConstantValue(options);
      bind(DelayPolicy).toConstantValue(policy);
      bind(MessageHooks).to(DelayProduceHook).inSingletonScope();
      bind(LifecycleContribution).to(DelayScheduler).inSingletonScope();
    });
  },
};
