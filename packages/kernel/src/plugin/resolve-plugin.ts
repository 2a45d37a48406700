import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../config/config-error';
import type { TesseraPlugin } from './tessera-plugin';

/** Loads a plugin by package name or file path, looking from the working directory first. */
export function resolvePlugin(name: string, field: string, searchPaths: readonly string[] = []): TesseraPlugin {
  const request = name.startsWith('.') || isAbsolute(name) ? resolve(name) : name;
  let exported: Record<string, unknown>;
  try {
    const file = require.resolve(request, { paths: [process.cwd(), ...searchPaths, __dirname] });
    exported = require(file) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${field}: cannot load plugin "${name}": ${(error as Error).message.split('\n')[0]}`, field);
  }
  const plugin = (exported.plugin ?? exported.default) as TesseraPlugin | undefined;
  if (!plugin || typeof plugin.createModule !== 'function' || typeof plugin.name !== 'string') {
    throw new ConfigError(`${field}: "${name}" does not export a Tessera plugin (\`plugin\` with createModule)`, field);
  }
  return plugin;
}
