import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DistributionOptions {
  broker?: Record<string, unknown>;
  store?: Record<string, unknown>;
  native?: Record<string, unknown>;
  /** The config file's `security` section (the broker's users). */
  security?: Record<string, unknown>;
  /** More plugins (e.g. feature plugins) after the default three, by package name. */
  extraPlugins?: Array<{ name: string; options?: Record<string, unknown> }>;
}

/** Writes the default distribution's config with the given options to `<dir>/<name>.json`; returns its path. */
export function writeDistributionConfig(dir: string, name: string, options: DistributionOptions): string {
  const file = join(dir, `${name}.json`);
  const config = {
    broker: options.broker ?? {},
    ...(options.security ? { security: options.security } : {}),
    plugins: [
      { name: '@tessera/store-commitlog', options: options.store ?? {} },
      { name: '@tessera/coordination-local' },
      { name: '@tessera/protocol-native', options: options.native ?? {} },
      ...(options.extraPlugins ?? []),
    ],
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
