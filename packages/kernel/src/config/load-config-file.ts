import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { BrokerConfig } from './broker-config';
import { brokerConfigSchema } from './broker-config-schema';
import { ConfigError } from './config-error';
import { validateAgainstSchema } from './validate-against-schema';

/** Reads a JSON or YAML config file and checks it against the schema. */
export function loadConfigFile(file: string): BrokerConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, source: string): BrokerConfig {
  let value: unknown;
  try {
    value = ['.yaml', '.yml'].includes(extname(source).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid ${extname(source).slice(1) || 'JSON'}: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${source}: the config must be an object with "broker" and "plugins"`);
  }
  validateAgainstSchema(brokerConfigSchema, value, '', source);
  return value as BrokerConfig;
}
