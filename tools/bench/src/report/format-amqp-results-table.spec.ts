import type { AmqpPhaseResult } from '../amqp/measure-amqp-phase';
import type { AmqpBenchResults, AmqpPayloadFigures } from './amqp-bench-results';
import { formatAmqpResultsTable } from './format-amqp-results-table';

const phase = (payloadBytes: number, acceptedPerSec: number, p99Ms: number, ratePerSec?: number): AmqpPhaseResult => ({
  payloadBytes,
  senders: 4,
  receivers: 4,
  inFlightPerSender: 256,
  creditPerReceiver: 256,
  durationMs: 10_000,
  warmupMs: 1_000,
  ratePerSec,
  sent: acceptedPerSec * 10,
  accepted: acceptedPerSec * 10,
  refused: 0,
  unsettled: 0,
  received: acceptedPerSec * 10,
  acceptedPerSec,
  receivedPerSec: acceptedPerSec,
  sentPerSec: acceptedPerSec,
  recorded: acceptedPerSec * 9,
  p50Ms: p99Ms / 4,
  p99Ms,
  p999Ms: p99Ms * 2,
  maxMs: p99Ms * 3,
  sendersEventLoopDelayP99Ms: 1,
  receiversEventLoopDelayP99Ms: 1,
});
const payload = (payloadBytes: number, acceptedPerSec: number, p99Ms: number): AmqpPayloadFigures => ({
  payloadBytes,
  throughput: phase(payloadBytes, acceptedPerSec, p99Ms * 10),
  latency: phase(payloadBytes, 1_000, p99Ms, 1_000),
});
const results: AmqpBenchResults = {
  suite: 'amqp',
  startedAt: '2026-11-22T04:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20.20.0' },
  quick: false,
  phaseMs: 10_000,
  latencyRatePerSec: 1_000,
  rabbitMqSetup: 'its own node bench-1@localhost run as root',
  tessera: { description: 'SYNC flush', payloads: [payload(64, 15_000, 4), payload(1024, 12_000, 6)] },
  rabbitmq: { description: 'RabbitMQ 3.10.8 on Erlang/OTP 25', payloads: [payload(64, 10_000, 8), payload(1024, 12_000, 3)] },
};

describe('formatAmqpResultsTable', () => {
  it('prints throughput and fixed-rate latency per payload for both brokers, with the ratios Tessera / RabbitMQ', () => {
    const table = formatAmqpResultsTable(results);
    expect(table).toContain('4 senders → 4 receivers on one durable queue');
    expect(table).toContain('latency: send → receipt at a fixed 1,000 msgs/s');
    expect(table).toContain('RabbitMQ: RabbitMQ 3.10.8 on Erlang/OTP 25, its own node bench-1@localhost run as root');
    expect(table).toMatch(/64 B +Tessera +15,000 +15,000 +1\.0 +4\.0 +1\.50 +0\.50 +0\.50/);
    expect(table).toMatch(/\n +RabbitMQ +10,000 +10,000 +2\.0 +8\.0\n/);
    expect(table).toMatch(/1 KiB +Tessera +12,000 +12,000 +1\.5 +6\.0 +1\.00 +2\.00 +2\.00/);
    expect(table).toContain('2 shared cores');
    expect(table).not.toContain('notes:');
  });

  it('notes a broker that could not be measured, lost messages, a rate not kept and first errors', () => {
    const lossy = payload(64, 15_000, 4);
    lossy.throughput = { ...lossy.throughput, received: lossy.throughput.accepted - 5, firstError: 'connection reset' };
    lossy.latency = { ...lossy.latency, sentPerSec: 700 };
    const table = formatAmqpResultsTable({
      ...results,
      tessera: { description: 'SYNC flush', payloads: [], error: 'cannot load plugin "@tessera/protocol-amqp"' },
      rabbitmq: { ...results.rabbitmq, payloads: [lossy] },
    });
    expect(table).toMatch(/64 B +Tessera +not measured\n +RabbitMQ +15,000/);
    expect(table).toContain('RabbitMQ 64 B throughput phase: 5 of 150,000 accepted not received; first error: connection reset');
    expect(table).toContain('RabbitMQ 64 B latency phase: sent 700/s, short of 1,000/s');
    expect(table).toContain('Tessera not measured: cannot load plugin "@tessera/protocol-amqp"');
  });
});
