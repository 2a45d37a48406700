import { ContainerModule } from 'inversify';
import { MessageHooks, type TesseraPlugin } from '@tessera/kernel';
import { defaultFeatureFilterOptions, featureFilterOptionsSchema, type FeatureFilterOptions } from './feature-filter-options';
import { FilterHooks } from './filter-hooks';

/** Broker-side tag and SQL92 subscription filters. */
export const featureFilterPlugin: TesseraPlugin<FeatureFilterOptions> = {
  name: '@tessera/feature-filter',
  kind: 'feature',
  optionsSchema: featureFilterOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(MessageHooks).toConstantValue(new FilterHooks({ ...defaultFeatureFilterOptions, ...options }));
    }),
};
