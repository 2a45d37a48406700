import { Counter, Gauge, registerTotalCounter, registerTotalsByLabel, type MetricsRegistry } from '@tessera/kernel';
import { emptyTrafficTally, type TrafficTally } from './mqtt-packet-scanner';
import type { MqttTrafficTotals } from './mqtt-packet-size-guard';
import { PublishRefusalCode } from './publish-refusal';

/** Why a CONNECT was refused: the `reason` label of tessera_mqtt_connects_refused_total. */
export const ConnectRefusalReason = {
  UNSUPPORTED_PROTOCOL_VERSION: 'unsupported_protocol_version',
  IDENTIFIER_REJECTED: 'identifier_rejected',
  SERVER_UNAVAILABLE: 'server_unavailable',
  BAD_CREDENTIALS: 'bad_credentials',
  NOT_AUTHORIZED: 'not_authorized',
  KEEPALIVE_LIMIT: 'keepalive_limit',
  BAD_AUTHENTICATION_METHOD: 'bad_authentication_method',
  PROTOCOL_ERROR: 'protocol_error',
} as const;
export type ConnectRefusalReason = (typeof ConnectRefusalReason)[keyof typeof ConnectRefusalReason];

/** aedes' CONNACK return codes (3.1.1, lib/handlers/connect.js) as refusal reasons. */
const REASON_OF_RETURN_CODE: readonly ConnectRefusalReason[] = [
  ConnectRefusalReason.PROTOCOL_ERROR,
  ConnectRefusalReason.UNSUPPORTED_PROTOCOL_VERSION,
  ConnectRefusalReason.IDENTIFIER_REJECTED,
  ConnectRefusalReason.SERVER_UNAVAILABLE,
  ConnectRefusalReason.BAD_CREDENTIALS,
  ConnectRefusalReason.NOT_AUTHORIZED,
  ConnectRefusalReason.KEEPALIVE_LIMIT,
];

const PUBLISH_REFUSAL_REASONS: ReadonlyMap<number, string> = new Map([
  [PublishRefusalCode.UNSPECIFIED_ERROR, 'unspecified_error'],
  [PublishRefusalCode.NOT_AUTHORIZED, 'not_authorized'],
  [PublishRefusalCode.TOPIC_NAME_INVALID, 'topic_name_invalid'],
  [PublishRefusalCode.QUOTA_EXCEEDED, 'quota_exceeded'],
  [PublishRefusalCode.PAYLOAD_FORMAT_INVALID, 'payload_format_invalid'],
]);

/** What the gauges read at scrape time, from the running front. */
export interface MqttMetricsSource {
  connectedClients(): number;
  subscriptions(): number;
}

/**
 * The MQTT front's Prometheus metrics (tessera_mqtt_*). The traffic (bytes, packets, PUBLISH packets
 * by QoS) is totalled in plain numbers by the connections' guards as chunks pass, which the counters
 * read when they are scraped (prom-client hashes the labels at every increment, which the message
 * path should not pay) and `$SYS/broker/…` reads too. CONNECT and publish refusals are rare and
 * counted as they happen.
 */
export class MqttMetrics implements MqttTrafficTotals {
  private source: MqttMetricsSource | undefined;
  private readonly connectionsAccepted: Counter;
  private readonly connectsRefused: Counter;
  private readonly publishesRefused: Counter;
  /** Since the front was created: counters and $SYS read these, never reset. */
  readonly totalReceived = emptyTrafficTally();
  readonly totalSent = emptyTrafficTally();

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    const source = () => this.source;
    new Gauge({
      name: 'tessera_mqtt_connected_clients',
      help: 'MQTT clients connected now',
      registers,
      collect() {
        this.set(source()?.connectedClients() ?? 0);
      },
    });
    new Gauge({
      name: 'tessera_mqtt_subscriptions',
      help: 'MQTT subscriptions: those of connected clean sessions and those stored in persistent sessions',
      registers,
      collect() {
        this.set(source()?.subscriptions() ?? 0);
      },
    });
    this.connectionsAccepted = new Counter({ name: 'tessera_mqtt_connections_total', help: 'MQTT CONNECTs accepted (CONNACK success)', registers });
    this.connectsRefused = new Counter({ name: 'tessera_mqtt_connects_refused_total', help: 'MQTT CONNECTs refused, by reason', labelNames: ['reason'], registers });
    for (const reason of Object.values(ConnectRefusalReason)) this.connectsRefused.inc({ reason }, 0);
    this.publishesRefused = new Counter({
      name: 'tessera_mqtt_publishes_refused_total',
      help: 'MQTT PUBLISHes (and wills) the broker did not take, by MQTT 5 reason',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of PUBLISH_REFUSAL_REASONS.values()) this.publishesRefused.inc({ reason }, 0);
    const { totalReceived: received, totalSent: sent } = this;
    registerTotalsByLabel(registry, 'tessera_mqtt_messages_received_total', 'PUBLISH packets received from clients, by QoS', 'qos', () => byQos(received));
    registerTotalsByLabel(registry, 'tessera_mqtt_messages_sent_total', 'PUBLISH packets sent to clients (resends included), by QoS', 'qos', () => byQos(sent));
    registerTotalCounter(registry, 'tessera_mqtt_received_bytes_total', 'Bytes read from MQTT connections', () => received.bytes);
    registerTotalCounter(registry, 'tessera_mqtt_sent_bytes_total', 'Bytes written to MQTT connections', () => sent.bytes);
    registerTotalCounter(registry, 'tessera_mqtt_packets_received_total', 'MQTT packets of any type received from clients', () => received.packets);
    registerTotalCounter(registry, 'tessera_mqtt_packets_sent_total', 'MQTT packets of any type sent to clients', () => sent.packets);
  }

  /** The running front the gauges read; undefined while stopped (they read 0). */
  watch(source: MqttMetricsSource | undefined): void {
    this.source = source;
  }

  /** A CONNACK aedes sent: accepted (0) or refused with a 3.1.1 return code. */
  connack(returnCode: number): void {
    if (returnCode === 0) this.connectionsAccepted.inc();
    else this.connectRefused(REASON_OF_RETURN_CODE[returnCode] ?? ConnectRefusalReason.PROTOCOL_ERROR);
  }

  connectRefused(reason: ConnectRefusalReason): void {
    this.connectsRefused.inc({ reason });
  }

  publishRefused(reasonCode: number): void {
    this.publishesRefused.inc({ reason: PUBLISH_REFUSAL_REASONS.get(reasonCode) ?? PUBLISH_REFUSAL_REASONS.get(PublishRefusalCode.UNSPECIFIED_ERROR)! });
  }
}

function byQos(totals: TrafficTally): Record<string, number> {
  const [qos0, qos1, qos2] = totals.publishes;
  return { '0': qos0!, '1': qos1!, '2': qos2! };
}
