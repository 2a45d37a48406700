export { storeCommitlogPlugin as plugin, storeCommitlogPlugin } from './store-commitlog-plugin';
export * from './commit-log-options';
export * from './commit-log-storage-engine';
export * from './file-opener';
export * from './record-layout';
