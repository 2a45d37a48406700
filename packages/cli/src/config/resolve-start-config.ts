import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, type BrokerConfig, type ConfigOverrides } from '@tessera/kernel';
import { defaultDistribution } from './default-distribution';
import type { FlushMode } from './flush-mode';

export const CONFIG_FILE_CANDIDATES = ['tessera.config.json', 'tessera.config.yaml', 'tessera.config.yml'];

export interface StartFlags {
  config?: string;
  dataDir?: string;
  port?: number;
  mqttPort?: number;
  mqttWsPort?: number;
  amqpPort?: number;
  metricsPort?: number;
  flush?: FlushMode;
}

export interface StartConfig {
  /** Where the config came from: a file path or "default distribution". */
  source: string;
  config: BrokerConfig;
  overrides: ConfigOverrides;
}

/**
 * Picks the config `tessera start` runs: `--config`, else a `tessera.config.*` in the working
 * directory, else the default distribution. Flags override what the file says.
 */
export function resolveStartConfig(flags: StartFlags, cwd: string, loadFile: (file: string) => BrokerConfig = loadConfigFile): StartConfig {
  const file = flags.config ?? CONFIG_FILE_CANDIDATES.map((name) => join(cwd, name)).find((candidate) => existsSync(candidate));
  const config = file ? loadFile(file) : defaultDistribution();
  const pluginOptions: Record<string, Record<string, unknown>> = {};
  if (flags.port !== undefined) pluginOptions['@tessera/protocol-native'] = { port: flags.port };
  const mqtt = stripUndefined({ port: flags.mqttPort, wsPort: flags.mqttWsPort });
  if (Object.keys(mqtt).length > 0) pluginOptions['@tessera/protocol-mqtt'] = mqtt;
  if (flags.amqpPort !== undefined) pluginOptions['@tessera/protocol-amqp'] = { port: flags.amqpPort };
  if (flags.metricsPort !== undefined) pluginOptions['@tessera/metrics-prometheus'] = { port: flags.metricsPort };
  if (flags.flush !== undefined) pluginOptions['@tessera/store-commitlog'] = { flushMode: flags.flush };
  return {
    source: file ?? 'default distribution',
    config,
    overrides: { broker: flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }, pluginOptions },
  };
}

function stripUndefined(value: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Record<string, number>;
}
