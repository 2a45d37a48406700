import type { MqttThroughputResult } from '../phases/measure-mqtt-throughput';
import type { MqttBenchResults } from './mqtt-bench-results';
import { count, payloadSize } from './format-figures';

/** The table `npm run bench -- mqtt` prints: each phase for both brokers, the ratio Tessera / Mosquitto, and the targets. */
export function formatMqttResultsTable(results: MqttBenchResults): string {
  const { tessera, mosquitto, targets } = results;
  const load = tessera.phases[0];
  const lines = [
    `load per broker: ${load ? `${load.pairs} publishers → ${load.pairs} subscribers (subscriber i on publisher i's topic, no fan-out), ` +
      `${load.inFlightPerPublisher} publishes in flight per publisher, ${load.phaseMs / 1000} s per phase, mqtt.js 3.1.1 clients in one process` : 'none'}`,
    `Tessera persists every publish to its log (SYNC: fdatasync before PUBACK); ${results.mosquittoVersion} (default config, persistence off) keeps messages in memory.`,
    '',
    'phase            broker      sent/s    received/s   p50 ms   p99 ms   ratio recv/s   target',
  ];
  tessera.phases.forEach((ours, index) => {
    const theirs = mosquitto.phases[index];
    const name = `QoS ${ours.qos} ${payloadSize(ours.payloadBytes)}`.padEnd(16);
    const ratio = theirs && theirs.receivedPerSec > 0 ? ours.receivedPerSec / theirs.receivedPerSec : 0;
    const wanted = ours.qos === 1 ? targets.qos1Ratio : targets.qos0Ratio;
    const verdict = ratio === 0 ? 'not measured' : ratio >= wanted ? 'met' : 'missed';
    lines.push(`${name} ${row('Tessera', ours)}   ${ratio.toFixed(2).padStart(12)}   ≥ ${wanted.toFixed(2)}: ${verdict}${lostNote(ours)}`);
    if (theirs) lines.push(`${''.padEnd(16)} ${row('Mosquitto', theirs)}${''.padEnd(32)}${lostNote(theirs)}`.trimEnd());
  });
  const idle = (name: string, figures: MqttBenchResults['tessera']) => {
    const i = figures.idle;
    return `  ${name.padEnd(10)} ${count(i.opened)} of ${count(i.connections)} open (${count(i.failed)} failed, ${i.openSeconds.toFixed(1)} s), ` +
      `RSS ${mib(i.rssBeforeMiB)} before, ${mib(i.rssWithConnectionsMiB)} with them`;
  };
  const ti = tessera.idle;
  const idleVerdict = ti.opened < targets.idleConnections ? 'not measured at full count' : ti.rssWithConnectionsMiB < targets.idleRssMiB ? 'met' : 'missed';
  lines.push(
    '',
    `idle connections (clean session, keepalive 60; fd limit ${count(results.fdLimit)}):`,
    `${idle('Tessera', tessera)}   target ${count(targets.idleConnections)} < ${count(targets.idleRssMiB)} MiB: ${idleVerdict}`,
    idle('Mosquitto', mosquitto),
  );
  const errors = [
    ...tessera.phases.map((phase) => ({ name: `Tessera QoS ${phase.qos} ${payloadSize(phase.payloadBytes)}`, firstError: phase.firstError })),
    ...mosquitto.phases.map((phase) => ({ name: `Mosquitto QoS ${phase.qos} ${payloadSize(phase.payloadBytes)}`, firstError: phase.firstError })),
    { name: 'Tessera idle connections', firstError: tessera.idle.firstError },
    { name: 'Mosquitto idle connections', firstError: mosquitto.idle.firstError },
  ].filter((phase) => phase.firstError);
  if (errors.length > 0) lines.push('', 'first error of each phase with failures:', ...errors.map((phase) => `  ${phase.name}: ${phase.firstError}`));
  return lines.join('\n');
}

function row(broker: string, phase: MqttThroughputResult): string {
  return (
    `${broker.padEnd(10)} ${count(phase.sentPerSec).padStart(9)} ${count(phase.receivedPerSec).padStart(12)} ` +
    `${phase.p50Ms.toFixed(1).padStart(8)} ${phase.p99Ms.toFixed(1).padStart(8)}`
  );
}

function lostNote(phase: MqttThroughputResult): string {
  const lost = phase.sent - phase.received;
  return lost > 0 ? `   (${count(lost)} of ${count(phase.sent)} not received)` : '';
}

function mib(value: number): string {
  return `${value.toFixed(0)} MiB`;
}
