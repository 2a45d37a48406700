import { storageConformanceSuite } from '@tessera/testing';
import { createTestEngine } from './create-test-engine.spec-helper';

storageConformanceSuite({
  name: 'commitlog (SYNC)',
  createEngine: (dataDir) => createTestEngine(dataDir, { segmentBytes: 4 * 1024 * 1024 }),
  supportsReopen: true,
  supportsRetention: true,
});

storageConformanceSuite({
  name: 'commitlog (ASYNC, small files)',
  createEngine: (dataDir) =>
    createTestEngine(dataDir, {
      flushMode: 'ASYNC',
      asyncFlushIntervalMs: 20,
      segmentBytes: 2 * 1024 * 1024,
      consumeQueueEntriesPerFile: 16,
      indexSlotCount: 16,
      indexEntriesPerFile: 16,
    }),
  supportsReopen: true,
  supportsRetention: true,
});
