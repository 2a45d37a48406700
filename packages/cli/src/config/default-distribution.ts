import type { BrokerConfig } from '@tessera/kernel';

export const DEFAULT_NATIVE_PORT = 10911;
export const DEFAULT_SERVER_ADDRESS = `127.0.0.1:${DEFAULT_NATIVE_PORT}`;
export const DEFAULT_MQTT_PORT = 1883;
export const DEFAULT_MQTT_WS_PORT = 8083;
export const DEFAULT_AMQP_PORT = 5672;
export const DEFAULT_METRICS_PORT = 9410;

/** The single-node broker `tessera start` runs when there is no config file. */
export function defaultDistribution(): BrokerConfig {
  return {
    broker: { dataDir: './data' },
    plugins: [
      { name: '@tessera/store-commitlog', options: { flushMode: 'SYNC' } },
      { name: '@tessera/coordination-local' },
      { name: '@tessera/protocol-native', options: { host: '127.0.0.1', port: DEFAULT_NATIVE_PORT } },
      { name: '@tessera/protocol-mqtt', options: { host: '127.0.0.1', port: DEFAULT_MQTT_PORT, wsPort: DEFAULT_MQTT_WS_PORT } },
      { name: '@tessera/protocol-amqp', options: { host: '127.0.0.1', port: DEFAULT_AMQP_PORT } },
      { name: '@tessera/feature-transaction' },
      { name: '@tessera/feature-delay' },
      { name: '@tessera/feature-retry' },
      { name: '@tessera/feature-filter' },
      { name: '@tessera/metrics-prometheus', options: { host: '127.0.0.1', port: DEFAULT_METRICS_PORT } },
    ],
  };
}
