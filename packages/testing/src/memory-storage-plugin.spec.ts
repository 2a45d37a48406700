import { Container } from 'inversify';
import { defaultBrokerSettings, StorageEngine } from '@tessera/kernel';
import { MemoryStorageEngine } from './memory-storage-engine';
import { memoryStoragePlugin } from './memory-storage-plugin';

describe('memoryStoragePlugin', () => {
  it('binds one shared MemoryStorageEngine as the StorageEngine', () => {
    const container = new Container();
    container.load(memoryStoragePlugin.createModule({}, defaultBrokerSettings));
    const engine = container.get<StorageEngine>(StorageEngine);
    expect(engine).toBeInstanceOf(MemoryStorageEngine);
    expect(container.get(StorageEngine)).toBe(engine);
    expect(memoryStoragePlugin).toMatchObject({ name: '@tessera/memory-storage', kind: 'storage' });
  });
});
