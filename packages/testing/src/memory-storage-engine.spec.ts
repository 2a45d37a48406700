import { MemoryStorageEngine } from './memory-storage-engine';
import { storageConformanceSuite } from './storage-conformance-suite';

storageConformanceSuite({ name: 'memory', createEngine: () => new MemoryStorageEngine(), supportsReopen: false });
