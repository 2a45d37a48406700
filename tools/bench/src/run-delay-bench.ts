import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { Admin } from '@tessera/client';
import { BrokerProcess } from '@tessera/testing';
import type { BenchOptions } from './options/bench-options';
import { measureDelayScheduling } from './phases/measure-delay-scheduling';
import { measureDeliveryLateness } from './phases/measure-delivery-lateness';
import { RssSampler } from './phases/rss-sampler';
import type { DelayBenchResults } from './report/delay-bench-results';

const QUEUE_COUNT = 8;
const SCHEDULED_MESSAGES = 1_000_000;
const LATENESS_PER_SECOND = 10_000;
/** --quick divides the message counts by this. */
const QUICK_FACTOR = 10;
const TARGETS = { rssMiB: 300, latenessP99Ms: 1_000 };

/**
 * The `delay` suite. Scheduling: a million small messages (100,000 with --quick) due uniformly
 * over 10 minutes starting a minute ahead, so none falls due meanwhile; the broker's RSS is
 * sampled throughout; then the broker is restarted with that backlog. Lateness: on a fresh
 * broker, 10 s × 10,000 due per second (1,000 with --quick) in a window 15 s ahead, consumed by
 * a PushConsumer. Both brokers: SYNC flush, feature-delay with its defaults.
 */
export async function runDelayBench(options: BenchOptions, log: (line: string) => void): Promise<DelayBenchResults> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-'));
  const factor = options.quick ? QUICK_FACTOR : 1;
  try {
    const startedAt = new Date().toISOString();
    const schedulingDir = join(dir, 'scheduling');
    let broker = await startBroker(schedulingDir);
    let scheduling: DelayBenchResults['scheduling'];
    let restart: DelayBenchResults['restart'];
    try {
      await createTopic(broker.address, 'delay-scheduled');
      const messages = SCHEDULED_MESSAGES / factor;
      log(`scheduling: ${messages.toLocaleString('en-US')} messages due over 10 minutes, sampling the broker's RSS`);
      scheduling = await measureDelayScheduling(broker.address, broker.pid, 'delay-scheduled', {
        messages,
        windowMs: 600_000,
        leadMs: 60_000,
        bodyBytes: 64,
        batchSize: 500,
        producerCount: 2,
        batchesInFlightPerProducer: 4,
        settleMs: 5_000,
      });
      log('restarting the broker with the backlog scheduled');
      const stopStartedAt = Date.now();
      await broker.stop();
      const stopMs = Date.now() - stopStartedAt;
      const timerIndex = timerIndexSize(join(schedulingDir, 'delay', 'buckets'));
      const startStartedAt = Date.now();
      broker = await startBroker(schedulingDir);
      const startMs = Date.now() - startStartedAt;
      restart = { stopMs, startMs, rssAfterStartMiB: new RssSampler(broker.pid).currentMiB(), ...timerIndex };
    } finally {
      await broker.stop();
    }

    log('starting a fresh broker for the lateness phase');
    const latenessBroker = await startBroker(join(dir, 'lateness'));
    let lateness: DelayBenchResults['lateness'];
    try {
      await createTopic(latenessBroker.address, 'delay-lateness');
      const perSecond = LATENESS_PER_SECOND / factor;
      log(`lateness: ${perSecond.toLocaleString('en-US')} msgs/s falling due for 10 s, 15 s from now`);
      lateness = await measureDeliveryLateness(latenessBroker.address, 'delay-lateness', {
        perSecond,
        windowMs: 10_000,
        leadMs: 15_000,
        bodyBytes: 64,
        batchSize: 500,
        batchesInFlight: 8,
      });
    } finally {
      await latenessBroker.stop();
    }
    return {
      suite: 'delay',
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      quick: options.quick,
      targets: TARGETS,
      scheduling,
      restart,
      lateness,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A SYNC broker with the delay plugin on `dataDir`. */
async function startBroker(dataDir: string): Promise<BrokerProcess> {
  const configFile = `${dataDir}.json`;
  writeFileSync(
    configFile,
    JSON.stringify({
      plugins: [
        { name: '@tessera/store-commitlog', options: { flushMode: 'SYNC' } },
        { name: '@tessera/coordination-local' },
        { name: '@tessera/protocol-native', options: { host: '127.0.0.1' } },
        { name: '@tessera/feature-delay' },
      ],
    }),
  );
  return BrokerProcess.start({ dataDir, cwd: dirname(dataDir), configFile, startTimeoutMs: 120_000 });
}

async function createTopic(server: string, name: string): Promise<void> {
  const admin = new Admin({ server });
  await admin.start();
  try {
    await admin.createTopic({ name, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
  } finally {
    await admin.shutdown();
  }
}

function timerIndexSize(bucketDir: string): { timerIndexBytes: number; timerBucketFiles: number } {
  const files = readdirSync(bucketDir);
  return { timerIndexBytes: files.reduce((sum, name) => sum + statSync(join(bucketDir, name)).size, 0), timerBucketFiles: files.length };
}
