import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from 'inversify';
import {
  BrokerSettings,
  createLogger,
  createMetricsRegistry,
  defaultBrokerSettings,
  Logger,
  MetricsRegistry,
  StorageEngine,
  validateAgainstSchema,
} from '@tessera/kernel';
import { CommitLogStorageEngine } from './commit-log-storage-engine';
import { defaultCommitLogOptions } from './commit-log-options';
import { storeCommitlogPlugin } from './store-commitlog-plugin';

describe('storeCommitlogPlugin', () => {
  it('fills every option with its documented default', () => {
    const options: Record<string, unknown> = {};
    validateAgainstSchema(storeCommitlogPlugin.optionsSchema!, options, 'options', 'store-commitlog');
    expect(options).toEqual(defaultCommitLogOptions);
  });

  it('refuses segments below 4 KiB and unknown flush modes', () => {
    expect(() => validateAgainstSchema(storeCommitlogPlugin.optionsSchema!, { segmentBytes: 100 }, 'options', 'x')).toThrow(/segmentBytes/);
    expect(() => validateAgainstSchema(storeCommitlogPlugin.optionsSchema!, { flushMode: 'SOMETIMES' }, 'options', 'x')).toThrow(/flushMode/);
  });

  it('binds a CommitLogStorageEngine that keeps its files under the broker data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-commitlog-plugin-'));
    const settings = { ...defaultBrokerSettings, dataDir };
    const container = new Container();
    container.bind(BrokerSettings).toConstantValue(settings);
    container.bind(Logger).toConstantValue(createLogger({ level: 'silent' }));
    const metrics = createMetricsRegistry();
    container.bind(MetricsRegistry).toConstantValue(metrics);
    container.load(storeCommitlogPlugin.createModule({ ...defaultCommitLogOptions, segmentBytes: 8192 }, settings));
    const engine = container.get<StorageEngine>(StorageEngine);
    expect(engine).toBeInstanceOf(CommitLogStorageEngine);
    await engine.open();
    await engine.append([{ topic: 't', queueId: 0, body: Buffer.from('x'), bornTimestamp: 1, flag: 0, reconsumeTimes: 0 }]);
    await engine.close();
    const fdatasyncs = await metrics.getSingleMetricAsString('tessera_log_fdatasync_duration_seconds');
    expect(fdatasyncs).toMatch(/^tessera_log_fdatasync_duration_seconds_count [1-9]\d*$/m);
    expect(readdirSync(dataDir).sort()).toEqual(['checkpoint', 'commitlog', 'consumequeue', 'index']);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
