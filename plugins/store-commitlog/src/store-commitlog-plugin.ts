import { ContainerModule } from 'inversify';
import { StorageEngine, type TesseraPlugin } from '@tessera/kernel';
import { CommitLogOptions, commitLogOptionsSchema, defaultCommitLogOptions } from './commit-log-options';
import { CommitLogStorageEngine } from './commit-log-storage-engine';

/** The default StorageEngine: commitlog segments, consume queues and a key index under `<dataDir>`. */
export const storeCommitlogPlugin: TesseraPlugin<CommitLogOptions> = {
  name: '@tessera/store-commitlog',
  kind: 'storage',
  optionsSchema: commitLogOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(CommitLogOptions).toConstantValue({ ...defaultCommitLogOptions, ...options });
      bind(StorageEngine).to(CommitLogStorageEngine).inSingletonScope();
    }),
};
