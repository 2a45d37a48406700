import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tessera/kernel';
import { defaultDistribution } from './default-distribution';
import { resolveStartConfig } from './resolve-start-config';

describe('resolveStartConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the default distribution when there is no config file', () => {
    const resolved = resolveStartConfig({}, dir);
    expect(resolved.source).toBe('default distribution');
    expect(resolved.config).toEqual(defaultDistribution());
    expect(resolved.overrides).toEqual({ broker: {}, pluginOptions: {} });
  });

  it('finds tessera.config.yaml in the working directory', () => {
    writeFileSync(join(dir, 'tessera.config.yaml'), 'broker:\n  brokerName: yaml-broker\nplugins:\n  - name: "@tessera/coordination-local"\n');
    const resolved = resolveStartConfig({}, dir);
    expect(resolved.source).toBe(join(dir, 'tessera.config.yaml'));
    expect(resolved.config.broker?.brokerName).toBe('yaml-broker');
  });

  it('prefers --config and lets flags override the data dir, port and flush mode', () => {
    const file = join(dir, 'custom.json');
    writeFileSync(file, JSON.stringify({ broker: { dataDir: '/elsewhere' }, plugins: [] }));
    const resolved = resolveStartConfig({ config: file, dataDir: '/data', port: 0, flush: 'ASYNC' }, dir);
    expect(resolved.source).toBe(file);
    expect(resolved.overrides).toEqual({
      broker: { dataDir: '/data' },
      pluginOptions: { '@tessera/protocol-native': { port: 0 }, '@tessera/store-commitlog': { flushMode: 'ASYNC' } },
    });
  });

  it('lets --mqtt-port and --mqtt-ws-port override the MQTT plugin\'s ports', () => {
    expect(resolveStartConfig({ mqttPort: 0, mqttWsPort: 18083 }, dir).overrides.pluginOptions).toEqual({
      '@tessera/protocol-mqtt': { port: 0, wsPort: 18083 },
    });
    expect(resolveStartConfig({ mqttWsPort: 0 }, dir).overrides.pluginOptions).toEqual({ '@tessera/protocol-mqtt': { wsPort: 0 } });
  });

  it('lets --amqp-port override the AMQP plugin\'s port', () => {
    expect(resolveStartConfig({ amqpPort: 0 }, dir).overrides.pluginOptions).toEqual({ '@tessera/protocol-amqp': { port: 0 } });
  });

  it('lets --metrics-port override the Prometheus exporter\'s port', () => {
    expect(resolveStartConfig({ metricsPort: 0 }, dir).overrides.pluginOptions).toEqual({ '@tessera/metrics-prometheus': { port: 0 } });
  });

  it('reports a bad field in the file as a ConfigError naming it', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ broker: { defaultQueueCount: 'eight' } }));
    expect(() => resolveStartConfig({ config: file }, dir)).toThrow(ConfigError);
    expect(() => resolveStartConfig({ config: file }, dir)).toThrow('broker.defaultQueueCount');
  });
});
