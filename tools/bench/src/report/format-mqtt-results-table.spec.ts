import type { MqttThroughputResult } from '../phases/measure-mqtt-throughput';
import { formatMqttResultsTable } from './format-mqtt-results-table';
import type { MqttBenchResults } from './mqtt-bench-results';

const phase = (qos: 0 | 1, payloadBytes: number, receivedPerSec: number): MqttThroughputResult => ({
  qos,
  payloadBytes,
  pairs: 4,
  inFlightPerPublisher: 64,
  phaseMs: 10_000,
  warmupMs: 1_000,
  drainMs: 10_000,
  sent: receivedPerSec * 10,
  received: receivedPerSec * 10,
  failedPublishes: 0,
  sentPerSec: receivedPerSec,
  receivedPerSec,
  p50Ms: 2,
  p99Ms: 12.5,
  maxMs: 30,
});
const idle = (rssWithConnectionsMiB: number) => ({
  connections: 10_000,
  concurrency: 100,
  settleMs: 2_000,
  opened: 10_000,
  failed: 0,
  openSeconds: 4.2,
  rssBeforeMiB: 90,
  rssWithConnectionsMiB,
});
const results: MqttBenchResults = {
  suite: 'mqtt',
  startedAt: '2026-11-22T01:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20.20.0' },
  quick: false,
  mosquittoVersion: 'mosquitto version 2.0.11',
  fdLimit: 20_000,
  targets: { qos1Ratio: 1, qos0Ratio: 0.7, idleConnections: 10_000, idleRssMiB: 1024 },
  tessera: { phases: [phase(0, 64, 40_000), phase(1, 1024, 30_000)], idle: idle(600) },
  mosquitto: { phases: [phase(0, 64, 50_000), phase(1, 1024, 20_000)], idle: idle(20) },
};

describe('formatMqttResultsTable', () => {
  it('prints both brokers side by side with the ratio and the verdict of each target', () => {
    const table = formatMqttResultsTable(results);
    expect(table).toContain('Tessera persists every publish to its log (SYNC: fdatasync before PUBACK)');
    expect(table).toMatch(/QoS 0 64 B +Tessera +40,000 +40,000 +2\.0 +12\.5 +0\.80 +≥ 0\.70: met/);
    expect(table).toMatch(/Mosquitto +50,000 +50,000/);
    expect(table).toMatch(/QoS 1 1 KiB +Tessera +30,000 +30,000 +2\.0 +12\.5 +1\.50 +≥ 1\.00: met/);
    expect(table).toContain('Tessera    10,000 of 10,000 open (0 failed, 4.2 s), RSS 90 MiB before, 600 MiB with them   target 10,000 < 1,024 MiB: met');
    expect(table).not.toContain('first error');
  });

  it('shows a missed target, messages not received and first errors', () => {
    const slow = { ...phase(1, 64, 10_000), received: 99_000, firstError: 'connection closed' };
    const table = formatMqttResultsTable({ ...results, tessera: { ...results.tessera, phases: [slow], idle: { ...idle(2000), opened: 9_000 } } });
    expect(table).toMatch(/≥ 1\.00: missed +\(1,000 of 100,000 not received\)/);
    expect(table).toContain('target 10,000 < 1,024 MiB: not measured at full count');
    expect(table).toContain('  Tessera QoS 1 64 B: connection closed');
  });
});
