export * from './memory-storage-engine';
export * from './memory-storage-plugin';
export * from './storage-conformance-suite';
