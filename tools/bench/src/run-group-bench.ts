import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { Admin } from '@tessera/client';
import { BrokerProcess } from '@tessera/testing';
import type { BenchOptions } from './options/bench-options';
import { measureLongPollWakeup } from './phases/measure-long-poll-wakeup';
import { measureRebalance } from './phases/measure-rebalance';
import type { GroupBenchResults } from './report/group-bench-results';

const QUEUE_COUNT = 8;
const MEMBER_COUNT = 3;
const SESSION_TIMEOUT_MS = 3_000;
const HEARTBEAT_INTERVAL_MS = 1_000;
const TRICKLE_MESSAGES_PER_SECOND = 100;
const REPETITIONS = 5;
const QUICK_REPETITIONS = 3;
const LONG_POLL_SAMPLES = 2_000;
const LONG_POLL_WARMUP_SAMPLES = 50;
/** Below this the consumer's next pull may not be parked yet when the message is sent. */
const MIN_LONG_POLL_GAP_MS = 3;
const TARGETS = { gracefulLeaveMs: 1_000, killAfterSessionTimeoutMs: 1_000, longPollWakeupP99Ms: 2 };

/**
 * The `group` suite: rebalance time (a member joins, leaves, is killed) on a SYNC broker with a
 * short group session timeout, then long-poll wake-up latency on a fresh SYNC broker. The phase
 * duration paces the wake-up samples; --quick also runs fewer rebalance events.
 */
export async function runGroupBench(options: BenchOptions, log: (line: string) => void): Promise<GroupBenchResults> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-'));
  try {
    const startedAt = new Date().toISOString();
    const repetitions = options.quick ? QUICK_REPETITIONS : REPETITIONS;
    log(`starting a SYNC broker with a ${SESSION_TIMEOUT_MS} ms group session timeout`);
    const rebalanceBroker = await startBroker(join(dir, 'rebalance'), { groupSessionTimeoutMs: SESSION_TIMEOUT_MS });
    let rebalance: GroupBenchResults['rebalance'];
    try {
      await createTopic(rebalanceBroker.address, 'rebalance', QUEUE_COUNT);
      log(`rebalance: ${repetitions}× a member joins, one leaves, one is killed (${MEMBER_COUNT} member processes, ${QUEUE_COUNT} queues)`);
      rebalance = await measureRebalance(rebalanceBroker.address, 'rebalance', 'rebalance-group', {
        queueCount: QUEUE_COUNT,
        memberCount: MEMBER_COUNT,
        repetitions,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
        trickleMessagesPerSecond: TRICKLE_MESSAGES_PER_SECOND,
      });
    } finally {
      await rebalanceBroker.stop();
    }

    log('starting a fresh SYNC broker for the long-poll phase');
    const longPollBroker = await startBroker(join(dir, 'long-poll'), {});
    let longPoll: GroupBenchResults['longPoll'];
    try {
      await createTopic(longPollBroker.address, 'long-poll', 1);
      const gapMs = Math.max(MIN_LONG_POLL_GAP_MS, Math.round(options.phaseMs / LONG_POLL_SAMPLES));
      log(`long-poll wake-up: ${LONG_POLL_SAMPLES} samples, one every ${gapMs} ms`);
      longPoll = await measureLongPollWakeup(longPollBroker.address, 'long-poll', 'long-poll-group', {
        samples: LONG_POLL_SAMPLES,
        warmupSamples: LONG_POLL_WARMUP_SAMPLES,
        gapMs,
      });
    } finally {
      await longPollBroker.stop();
    }
    return {
      suite: 'group',
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      targets: TARGETS,
      rebalance,
      longPoll,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A default-distribution SYNC broker on `dataDir`, with the given broker settings. */
async function startBroker(dataDir: string, settings: Record<string, unknown>): Promise<BrokerProcess> {
  const configFile = `${dataDir}.json`;
  writeFileSync(
    configFile,
    JSON.stringify({
      broker: settings,
      plugins: [
        { name: '@tessera/store-commitlog', options: { flushMode: 'SYNC' } },
        { name: '@tessera/coordination-local' },
        { name: '@tessera/protocol-native', options: { host: '127.0.0.1' } },
      ],
    }),
  );
  return BrokerProcess.start({ dataDir, cwd: dirname(dataDir), configFile });
}

async function createTopic(server: string, name: string, queueCount: number): Promise<void> {
  const admin = new Admin({ server });
  await admin.start();
  try {
    await admin.createTopic({ name, writeQueueCount: queueCount, readQueueCount: queueCount });
  } finally {
    await admin.shutdown();
  }
}
