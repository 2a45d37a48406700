export * from './memory-storage-engine';
export * from './memory-storage-plugin';
export * from './storage-conformance-suite';
export * from './broker-process/broker-process';
export * from './broker-process/free-port';
export * from './broker-process/repo-paths';
