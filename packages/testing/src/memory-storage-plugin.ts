import { ContainerModule } from 'inversify';
import { StorageEngine, type TesseraPlugin } from '@tessera/kernel';
import { MemoryStorageEngine } from './memory-storage-engine';

/** Binds an in-memory StorageEngine: for tests of everything above storage, never for production. */
export const memoryStoragePlugin: TesseraPlugin<Record<string, never>> = {
  name: '@tessera/memory-storage',
  kind: 'storage',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  createModule: () =>
    new ContainerModule(({ bind }) => {
      bind(StorageEngine).to(MemoryStorageEngine).inSingletonScope();
    }),
};
