import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess } from '@tessera/testing';
import type { BenchOptions } from './options/bench-options';
import { findMosquitto } from './phases/find-mosquitto';
import { measureMqttIdleConnections } from './phases/measure-mqtt-idle-connections';
import { measureMqttThroughput, type MqttLoad } from './phases/measure-mqtt-throughput';
import { MosquittoProcess } from './phases/mosquitto-process';
import type { MqttBenchResults, MqttBrokerFigures } from './report/mqtt-bench-results';

const PAIRS = 4;
const IN_FLIGHT_PER_PUBLISHER = 64;
const PHASES: ReadonlyArray<Pick<MqttLoad, 'qos' | 'payloadBytes'>> = [
  { qos: 0, payloadBytes: 64 },
  { qos: 0, payloadBytes: 1024 },
  { qos: 1, payloadBytes: 64 },
  { qos: 1, payloadBytes: 1024 },
];
const IDLE_CONNECTIONS = 10_000;
const QUICK_IDLE_CONNECTIONS = 1_000;
/** File descriptors kept free for everything else the bench process opens. */
const FD_HEADROOM = 1_000;
const TARGETS = { qos1Ratio: 1.0, qos0Ratio: 0.7, idleConnections: IDLE_CONNECTIONS, idleRssMiB: 1024 };

interface MqttBroker {
  port: number;
  pid: number;
}

/**
 * The `mqtt` suite: the same load against Tessera (default distribution, SYNC flush, MQTT on a
 * free port) and then Mosquitto (Debian's package, default settings, free loopback port), each
 * started fresh: 4 phases (QoS 0/1 × 64 B/1 KiB) of `phaseMs`, then idle connections and RSS.
 */
export async function runMqttBench(options: BenchOptions, log: (line: string) => void): Promise<MqttBenchResults> {
  const mosquittoExecutable = findMosquitto(log);
  const fdLimit = Number(execFileSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  const wantedIdle = options.quick ? QUICK_IDLE_CONNECTIONS : IDLE_CONNECTIONS;
  const idleConnections = Math.min(wantedIdle, fdLimit - FD_HEADROOM);
  if (idleConnections < wantedIdle) log(`fd limit ${fdLimit}: opening ${idleConnections} idle connections, not ${wantedIdle}`);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-bench-'));
  try {
    const startedAt = new Date().toISOString();
    const measure = (name: string, broker: MqttBroker) => measureBroker(name, broker, options.phaseMs, idleConnections, log);

    log('starting Tessera (default distribution, SYNC flush)');
    const dataDir = join(dir, 'tessera');
    mkdirSync(dataDir);
    const tesseraProcess = await BrokerProcess.start({ dataDir, cwd: dir, startTimeoutMs: 120_000 });
    let tessera: MqttBrokerFigures;
    try {
      tessera = await measure('Tessera', { port: tesseraProcess.mqttPort!, pid: tesseraProcess.pid });
    } finally {
      await tesseraProcess.stop();
    }

    log(`starting ${MosquittoProcess.version(mosquittoExecutable)}`);
    const mosquittoProcess = await MosquittoProcess.start(mosquittoExecutable, dir);
    let mosquitto: MqttBrokerFigures;
    try {
      mosquitto = await measure('Mosquitto', mosquittoProcess);
    } finally {
      await mosquittoProcess.stop();
    }
    return {
      suite: 'mqtt',
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      quick: options.quick,
      mosquittoVersion: MosquittoProcess.version(mosquittoExecutable),
      fdLimit,
      targets: TARGETS,
      tessera,
      mosquitto,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureBroker(name: string, broker: MqttBroker, phaseMs: number, idleConnections: number, log: (line: string) => void): Promise<MqttBrokerFigures> {
  const phases = [];
  for (const [index, phase] of PHASES.entries()) {
    log(`${name}: QoS ${phase.qos}, ${phase.payloadBytes} B payloads for ${phaseMs / 1000} s`);
    phases.push(
      await measureMqttThroughput(broker.port, `bench${index}`, {
        ...phase,
        pairs: PAIRS,
        inFlightPerPublisher: IN_FLIGHT_PER_PUBLISHER,
        phaseMs,
        warmupMs: Math.min(1_000, phaseMs / 5),
        drainMs: 10_000,
      }),
    );
  }
  log(`${name}: opening ${idleConnections} idle connections`);
  const idle = await measureMqttIdleConnections(broker.port, broker.pid, { connections: idleConnections, concurrency: 100, settleMs: 2_000 });
  return { phases, idle };
}
