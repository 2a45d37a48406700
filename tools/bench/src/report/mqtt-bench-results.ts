import type { MqttIdleResult } from '../phases/measure-mqtt-idle-connections';
import type { MqttThroughputResult } from '../phases/measure-mqtt-throughput';
import type { BenchResults } from './bench-results';

export interface MqttBrokerFigures {
  /** One per phase, in the order QoS 0 64 B, QoS 0 1 KiB, QoS 1 64 B, QoS 1 1 KiB. */
  phases: MqttThroughputResult[];
  idle: MqttIdleResult;
}

/** What the `mqtt` suite measured; written as JSON to bench-results/. */
export interface MqttBenchResults {
  suite: 'mqtt';
  startedAt: string;
  machine: BenchResults['machine'];
  quick: boolean;
  mosquittoVersion: string;
  /** `ulimit -n` of the bench process (the brokers inherit it). */
  fdLimit: number;
  targets: { qos1Ratio: number; qos0Ratio: number; idleConnections: number; idleRssMiB: number };
  tessera: MqttBrokerFigures;
  mosquitto: MqttBrokerFigures;
}
