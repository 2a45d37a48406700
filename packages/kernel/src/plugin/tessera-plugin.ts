import type { ContainerModule } from 'inversify';
import type { BrokerSettings } from '../config/broker-settings';

export type PluginKind = 'storage' | 'protocol' | 'replication' | 'coordination' | 'feature' | 'observability';

/**
 * What a plugin package exports (as `plugin` or default). Its module binds the plugin's
 * classes to the kernel's extension points; its options arrive validated by `optionsSchema`.
 */
export interface TesseraPlugin<Options = Record<string, unknown>> {
  readonly name: string;
  readonly kind: PluginKind;
  /** JSON schema for the options; defaults in the schema are applied before createModule. */
  readonly optionsSchema?: object;
  createModule(options: Options, settings: BrokerSettings): ContainerModule;
}

/** A plugin with the options to load it with. */
export interface PluginUse<Options = Record<string, unknown>> {
  plugin: TesseraPlugin<Options>;
  options?: Partial<Options>;
}
