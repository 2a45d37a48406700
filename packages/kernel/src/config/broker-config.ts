import type { SecuritySettings } from '../security/security-settings';
import type { BrokerSettings } from './broker-settings';

export interface PluginConfig {
  /** Package name (`@tessera/store-commitlog`) or a path to a module exporting a plugin. */
  name: string;
  options?: Record<string, unknown>;
}

/** A config file's content: the kernel's settings and the plugins that make up the broker. */
export interface BrokerConfig {
  broker?: Partial<BrokerSettings>;
  /** The broker's users (see UserStore); no users when absent. */
  security?: SecuritySettings;
  plugins?: PluginConfig[];
}
