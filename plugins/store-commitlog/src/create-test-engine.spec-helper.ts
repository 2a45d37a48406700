import { createLogger, createMetricsRegistry, defaultBrokerSettings } from '@tessera/kernel';
import { defaultCommitLogOptions, type CommitLogOptions } from './commit-log-options';
import { CommitLogStorageEngine } from './commit-log-storage-engine';
import type { FileOpener } from './file-opener';

/** An engine over `dataDir` with a silent logger, for specs and measurements. */
export function createTestEngine(dataDir: string, options: Partial<CommitLogOptions> = {}, fileOpener?: FileOpener): CommitLogStorageEngine {
  return new CommitLogStorageEngine(
    { ...defaultCommitLogOptions, ...options },
    { ...defaultBrokerSettings, dataDir },
    createLogger({ level: process.env.TESSERA_TEST_LOG_LEVEL ?? 'silent' }),
    createMetricsRegistry(),
    fileOpener,
  );
}
