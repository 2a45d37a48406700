import type { AmqpBenchResults, AmqpPayloadFigures } from './amqp-bench-results';
import { count, payloadSize } from './format-figures';

/** A paced phase that sent less than this share of its rate did not keep it: its latencies hide a backlog. */
const KEPT_RATE_SHARE = 0.95;

/**
 * The table `npm run bench -- amqp` prints: per payload size, throughput (accepted publishes/s)
 * and latency at the fixed rate for both brokers, and the ratios Tessera / RabbitMQ.
 */
export function formatAmqpResultsTable(results: AmqpBenchResults): string {
  const { tessera, rabbitmq } = results;
  const load = tessera.payloads[0]?.throughput ?? rabbitmq.payloads[0]?.throughput;
  const lines = [
    `load per broker: ${
      load
        ? `${load.senders} senders → ${load.receivers} receivers on one durable queue (competing consumers), ` +
          `≤ ${load.inFlightPerSender} unsettled transfers per sender, credit ${load.creditPerReceiver} per receiver, ` +
          'durable messages (header durable=true), rhea clients (senders and receivers each on a worker thread)'
        : 'none measured'
    }; ${results.phaseMs / 1000} s per phase`,
    `latency: send → receipt at a fixed ${count(results.latencyRatePerSec)} msgs/s over all senders, first ${(
      (load?.warmupMs ?? 0) / 1000
    ).toFixed(1)} s left out`,
    `Tessera: ${tessera.description}`,
    `RabbitMQ: ${rabbitmq.description}, ${results.rabbitMqSetup}`,
    'Figures from 2 shared cores are noisy: compare the brokers side by side in one run, not across runs.',
    '',
    'payload  broker     accepted/s   received/s   p50 ms   p99 ms   ratio accepted/s   ratio p50   ratio p99',
  ];
  const notes: string[] = [];
  const sizes = [...new Set([...tessera.payloads, ...rabbitmq.payloads].map((figures) => figures.payloadBytes))];
  for (const payloadBytes of sizes) {
    const ours = tessera.payloads.find((figures) => figures.payloadBytes === payloadBytes);
    const theirs = rabbitmq.payloads.find((figures) => figures.payloadBytes === payloadBytes);
    const ratios =
      ours && theirs
        ? `${ratio(ours.throughput.acceptedPerSec, theirs.throughput.acceptedPerSec).padStart(18)} ` +
          `${ratio(ours.latency.p50Ms, theirs.latency.p50Ms).padStart(11)} ${ratio(ours.latency.p99Ms, theirs.latency.p99Ms).padStart(11)}`
        : '';
    lines.push(`${payloadSize(payloadBytes).padEnd(8)} ${row('Tessera', ours)}${ours ? ratios : ''}`.trimEnd());
    lines.push(`${''.padEnd(8)} ${row('RabbitMQ', theirs)}`.trimEnd());
    for (const [name, figures] of [['Tessera', ours], ['RabbitMQ', theirs]] as const) {
      if (figures) notes.push(...phaseNotes(`${name} ${payloadSize(payloadBytes)}`, figures));
    }
  }
  lines.push('(ratios are Tessera / RabbitMQ: above 1 is better for accepted/s, below 1 is better for latency)');
  for (const [name, figures] of [['Tessera', tessera], ['RabbitMQ', rabbitmq]] as const) {
    if (figures.error) notes.push(`${name} ${figures.payloads.length === 0 ? 'not measured' : 'stopped early'}: ${figures.error}`);
  }
  if (notes.length > 0) lines.push('', 'notes:', ...notes.map((note) => `  ${note}`));
  return lines.join('\n');
}

function row(broker: string, figures: AmqpPayloadFigures | undefined): string {
  if (!figures) return `${broker.padEnd(10)} ${'not measured'.padStart(10)}`;
  const { throughput, latency } = figures;
  return (
    `${broker.padEnd(10)} ${count(throughput.acceptedPerSec).padStart(10)} ${count(throughput.receivedPerSec).padStart(12)} ` +
    `${latency.p50Ms.toFixed(1).padStart(8)} ${latency.p99Ms.toFixed(1).padStart(8)}`
  );
}

function phaseNotes(name: string, figures: AmqpPayloadFigures): string[] {
  const notes: string[] = [];
  for (const [phaseName, phase] of [['throughput', figures.throughput], ['latency', figures.latency]] as const) {
    const problems: string[] = [];
    if (phase.refused > 0) problems.push(`${count(phase.refused)} transfers not accepted`);
    if (phase.unsettled > 0) problems.push(`${count(phase.unsettled)} still unsettled at the end`);
    if (phase.received < phase.accepted) problems.push(`${count(phase.accepted - phase.received)} of ${count(phase.accepted)} accepted not received`);
    if (phase.ratePerSec !== undefined && phase.sentPerSec < phase.ratePerSec * KEPT_RATE_SHARE) {
      problems.push(`sent ${count(phase.sentPerSec)}/s, short of ${count(phase.ratePerSec)}/s: its latencies include a backlog`);
    }
    if (phase.firstError) problems.push(`first error: ${phase.firstError}`);
    if (problems.length > 0) notes.push(`${name} ${phaseName} phase: ${problems.join('; ')}`);
  }
  return notes;
}

function ratio(ours: number, theirs: number): string {
  return ours > 0 && theirs > 0 ? (ours / theirs).toFixed(2) : '-';
}
