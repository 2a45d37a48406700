import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem, userInfo } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess } from '@tessera/testing';
import type { AmqpEndpoint } from './amqp/amqp-load-protocol';
import { findRabbitMq } from './amqp/find-rabbitmq';
import { measureAmqpPhase, type AmqpPhaseLoad } from './amqp/measure-amqp-phase';
import { RabbitMqProcess } from './amqp/rabbitmq-process';
import type { BenchOptions } from './options/bench-options';
import type { AmqpBenchResults, AmqpBrokerFigures, AmqpPayloadFigures } from './report/amqp-bench-results';

const SENDERS = 4;
const RECEIVERS = 4;
const IN_FLIGHT_PER_SENDER = 256;
const CREDIT_PER_RECEIVER = 256;
const PAYLOAD_SIZES = [64, 1024];
const LATENCY_RATE_PER_SEC = 1_000;
/** A first phase runs slower on both brokers (allocators, JIT, store files): it is run and thrown away. */
const MIN_WARM_UP_MS = 1_000;
const MAX_WARM_UP_MS = 5_000;

interface AmqpBroker {
  name: string;
  port: number;
  /** The address of the durable queue `name` as this broker spells it. */
  queueAddress: (name: string) => string;
  username?: string;
  password?: string;
}

/**
 * The `amqp` suite: the same AMQP 1.0 load (durable queue, durable messages, 64 B and 1 KiB)
 * against Tessera (default distribution, SYNC flush, AMQP on a free port) and then a RabbitMQ node
 * of the bench's own (Debian's package, AMQP 1.0 plugin), each started fresh. Per payload size: a
 * throughput phase (senders as fast as settlements allow) and a latency phase at a fixed rate,
 * each `phaseMs` on a queue of its own, after a warm-up phase that is not measured. When Tessera
 * cannot be started or measured, the table says why and RabbitMQ is still measured.
 */
export async function runAmqpBench(options: BenchOptions, log: (line: string) => void): Promise<AmqpBenchResults> {
  const rabbitMqInstallation = findRabbitMq(log);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-amqp-bench-'));
  try {
    const startedAt = new Date().toISOString();
    const measure = (broker: AmqpBroker, description: string) => measureBroker(broker, description, options.phaseMs, log);

    log('starting Tessera (default distribution, SYNC flush, AMQP 1.0 on a free port)');
    const tesseraDescription = 'default distribution, SYNC flush (a transfer is settled accepted once its record is fdatasync-ed), queue auto-created';
    let tessera: AmqpBrokerFigures;
    try {
      const { broker: tesseraProcess, amqpPort } = await startTessera(dir);
      try {
        tessera = await measure({ name: 'Tessera', port: amqpPort, queueAddress: (name) => name }, tesseraDescription);
      } finally {
        await tesseraProcess.stop();
      }
    } catch (error) {
      tessera = { description: tesseraDescription, payloads: [], error: (error as Error).message };
    }

    log('starting RabbitMQ (Debian package, rabbitmq_amqp1_0 plugin)');
    const rabbitProcess = await RabbitMqProcess.start(rabbitMqInstallation, join(dir, 'rabbitmq'));
    let rabbitmq: AmqpBrokerFigures;
    try {
      const version = rabbitProcess.version();
      log(`${version} is up as ${rabbitProcess.nodeName}`);
      rabbitmq = await measure(
        // 3.x declares the queue named in /queue/<name> on attach, durable when the terminus is (it is: durable 2).
        { name: 'RabbitMQ', port: rabbitProcess.port, queueAddress: (name) => `/queue/${name}`, username: 'guest', password: 'guest' },
        `${version}, default config, durable classic queue (confirms a persistent message once its store synced it or a consumer acked it)`,
      );
    } finally {
      await rabbitProcess.stop();
    }
    return {
      suite: 'amqp',
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      quick: options.quick,
      phaseMs: options.phaseMs,
      latencyRatePerSec: LATENCY_RATE_PER_SEC,
      rabbitMqSetup:
        `its own node ${rabbitProcess.nodeName} run as ${userInfo().username} from ${rabbitMqInstallation.binDir}, data in a temp dir, ` +
        'AMQP, distribution and epmd ports free ones on 127.0.0.1',
      tessera,
      rabbitmq,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `tessera start` with the default distribution (every front on a free port), SYNC flush; resolves once AMQP accepts. */
async function startTessera(dir: string): Promise<{ broker: BrokerProcess; amqpPort: number }> {
  const dataDir = join(dir, 'tessera');
  mkdirSync(dataDir);
  const broker = await BrokerProcess.start({ dataDir, cwd: dir, flush: 'SYNC', startTimeoutMs: 120_000 });
  return { broker, amqpPort: broker.amqpPort! };
}

async function measureBroker(broker: AmqpBroker, description: string, phaseMs: number, log: (line: string) => void): Promise<AmqpBrokerFigures> {
  const payloads: AmqpPayloadFigures[] = [];
  const endpoint = (queue: string): AmqpEndpoint => ({ port: broker.port, address: broker.queueAddress(queue), username: broker.username, password: broker.password });
  const load = (payloadBytes: number, ratePerSec?: number): AmqpPhaseLoad => ({
    payloadBytes,
    senders: SENDERS,
    receivers: RECEIVERS,
    inFlightPerSender: IN_FLIGHT_PER_SENDER,
    creditPerReceiver: CREDIT_PER_RECEIVER,
    durationMs: phaseMs,
    warmupMs: Math.min(1_000, phaseMs / 5),
    ratePerSec,
  });
  try {
    const warmUpMs = Math.min(Math.max(phaseMs / 2, MIN_WARM_UP_MS), MAX_WARM_UP_MS);
    log(`${broker.name}: warming up for ${warmUpMs / 1000} s (not measured)`);
    await measureAmqpPhase(endpoint('bench-warm-up'), { ...load(PAYLOAD_SIZES[0]!), durationMs: warmUpMs });
    for (const payloadBytes of PAYLOAD_SIZES) {
      log(`${broker.name}: ${payloadBytes} B, as fast as settlements allow, for ${phaseMs / 1000} s`);
      const throughput = await measureAmqpPhase(endpoint(`bench-throughput-${payloadBytes}`), load(payloadBytes));
      log(`${broker.name}: ${payloadBytes} B at ${LATENCY_RATE_PER_SEC} msgs/s for ${phaseMs / 1000} s`);
      const latency = await measureAmqpPhase(endpoint(`bench-latency-${payloadBytes}`), load(payloadBytes, LATENCY_RATE_PER_SEC));
      payloads.push({ payloadBytes, throughput, latency });
    }
    return { description, payloads };
  } catch (error) {
    return { description, payloads, error: (error as Error).message };
  }
}
