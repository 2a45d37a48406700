import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@tessera/client';
import { BrokerProcess } from '@tessera/testing';
import type { BenchOptions } from './options/bench-options';
import { measureDiskCeiling } from './phases/measure-disk-ceiling';
import { measureLatency, type LatencyResult } from './phases/measure-latency';
import { measureProduceThroughput } from './phases/measure-produce-throughput';
import { waitForDiskWriteback } from './phases/wait-for-disk-writeback';
import type { BenchResults, ProducePhaseResult } from './report/bench-results';
import { slowFlushesIn, type SlowFlushes } from './report/slow-flushes-in';

const MESSAGE_BYTES = 1024;
const QUEUE_COUNT = 8;
const BATCH_SIZE = 128;
const BATCHED_PRODUCERS = 4;
const BATCHES_IN_FLIGHT_PER_PRODUCER = 4;
const UNBATCHED_PRODUCERS = 4;
const SENDS_IN_FLIGHT_PER_PRODUCER = 128;
const LATENCY_RATE = 10_000;
const TARGETS = { batchedSyncMsgsPerSec: 200_000, latencyP99Ms: 5, latencyRate: LATENCY_RATE };

/** The `native` suite: disk ceiling, throughput on a SYNC and an ASYNC broker, then latency on a fresh SYNC broker. */
export async function runNativeBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-'));
  try {
    const startedAt = new Date().toISOString();
    log(`disk ceiling (${options.phaseMs / 1000} s) in ${dir}`);
    const disk = measureDiskCeiling(dir, options.phaseMs);
    const produce: ProducePhaseResult[] = [];
    let latency: LatencyResult | undefined;
    let latencySlowFlushes: SlowFlushes = { count: 0, slowestMs: 0 };
    for (const flush of ['SYNC', 'ASYNC'] as const) {
      const dataDir = mkdtempSync(join(dir, `${flush.toLowerCase()}-`));
      log(`starting the ${flush} broker`);
      const broker = await BrokerProcess.start({ dataDir, flush, cwd: dataDir });
      try {
        const topic = async (name: string) => {
          const admin = new Admin({ server: broker.address });
          await admin.start();
          await admin.createTopic({ name, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
          await admin.shutdown();
          return name;
        };
        const batchedName = `produce batched (${BATCH_SIZE}/batch, ${BATCHED_PRODUCERS}×${BATCHES_IN_FLIGHT_PER_PRODUCER} in flight), ${flush}`;
        log(batchedName);
        produce.push({
          name: batchedName,
          flush,
          ...(await measureProduceThroughput(broker.address, await topic(`batched-${flush}`), {
            batchSize: BATCH_SIZE,
            autoBatch: false,
            producerCount: BATCHED_PRODUCERS,
            requestsInFlightPerProducer: BATCHES_IN_FLIGHT_PER_PRODUCER,
            messageBytes: MESSAGE_BYTES,
            durationMs: options.phaseMs,
          })),
        });
        for (const autoBatch of [false, true]) {
          const unbatchedName = `produce unbatched (${UNBATCHED_PRODUCERS}×${SENDS_IN_FLIGHT_PER_PRODUCER} single sends in flight${autoBatch ? ', SDK auto-batching' : ', one request each'}), ${flush}`;
          log(unbatchedName);
          produce.push({
            name: unbatchedName,
            flush,
            ...(await measureProduceThroughput(broker.address, await topic(`unbatched-${autoBatch ? 'auto' : 'single'}-${flush}`), {
              batchSize: 1,
              autoBatch,
              producerCount: UNBATCHED_PRODUCERS,
              requestsInFlightPerProducer: SENDS_IN_FLIGHT_PER_PRODUCER,
              messageBytes: MESSAGE_BYTES,
              durationMs: options.phaseMs,
            })),
          });
        }
      } finally {
        await broker.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    log(`disk writeback of the earlier phases settled after ${await waitForDiskWriteback(60_000)} ms`);
    const latencyDataDir = mkdtempSync(join(dir, 'latency-'));
    log('starting a fresh SYNC broker for the latency phase');
    const latencyBroker = await BrokerProcess.start({ dataDir: latencyDataDir, flush: 'SYNC', cwd: latencyDataDir });
    try {
      const admin = new Admin({ server: latencyBroker.address });
      await admin.start();
      await admin.createTopic({ name: 'latency', writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
      await admin.shutdown();
      log(`latency at ${LATENCY_RATE} msgs/s`);
      latency = await measureLatency({ server: latencyBroker.address, topic: 'latency', metricsPort: latencyBroker.metricsPort!, brokerPid: latencyBroker.pid }, {
        messagesPerSecond: LATENCY_RATE,
        messageBytes: MESSAGE_BYTES,
        queueCount: QUEUE_COUNT,
        durationMs: options.phaseMs,
        warmupMs: Math.min(1_000, options.phaseMs / 5),
      });
    } finally {
      await latencyBroker.stop();
      latencySlowFlushes = slowFlushesIn(latencyBroker.output);
      rmSync(latencyDataDir, { recursive: true, force: true });
    }
    return {
      suite: options.suite,
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      phaseMs: options.phaseMs,
      targets: TARGETS,
      disk,
      produce,
      latency: latency!,
      latencySlowFlushes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
