import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Aedes, PublishPacket } from 'aedes';
import type { Logger } from '@tessera/kernel';
import type { MqttTrafficTotals } from './mqtt-packet-size-guard';

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

/** What `$SYS/broker/…` reports besides the traffic, read at each update. */
export interface MqttBrokerStatus {
  connectedClients(): number;
  /** Connected clients and the persistent sessions of those not connected. */
  totalClients(): number;
  subscriptions(): number;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * Mosquitto's broker status topics (mosquitto(8), "BROKER STATUS"), as retained QoS 0 messages
 * published through aedes: `$SYS/broker/version` once at start (a static topic), the others at
 * start and every `intervalSeconds`, all of them each time. A subscription beginning with a
 * wildcard gets none of them (MQTT 4.7.2): aedes holds live `$` messages back from it, the
 * persistence retained ones.
 */
export class MqttSysTopics {
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly aedes: Aedes,
    private readonly traffic: MqttTrafficTotals,
    private readonly status: MqttBrokerStatus,
    private readonly intervalSeconds: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.publish('$SYS/broker/version', `tessera version ${version}`);
    this.update();
    this.timer = setInterval(() => this.update(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private update(): void {
    // Read every value before publishing any: what this update sends is counted in the next one.
    const { totalReceived: received, totalSent: sent } = this.traffic;
    const values: Array<[string, number | string]> = [
      ['uptime', `${Math.floor((Date.now() - this.startedAt) / 1000)} seconds`],
      ['clients/connected', this.status.connectedClients()],
      ['clients/total', this.status.totalClients()],
      ['subscriptions/count', this.status.subscriptions()],
      ['messages/received', received.packets],
      ['messages/sent', sent.packets],
      ['publish/messages/received', sum(received.publishes)],
      ['publish/messages/sent', sum(sent.publishes)],
      ['bytes/received', received.bytes],
      ['bytes/sent', sent.bytes],
    ];
    for (const [topic, value] of values) this.publish(`$SYS/broker/${topic}`, String(value));
  }

  private publish(topic: string, value: string): void {
    const packet = { cmd: 'publish', topic, payload: Buffer.from(value), qos: 0, retain: true, dup: false } as PublishPacket;
    this.aedes.publish(packet, (error) => {
      if (error) this.logger.warn({ err: error, topic }, 'publishing MQTT broker status failed');
    });
  }
}
