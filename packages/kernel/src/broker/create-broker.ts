import 'reflect-metadata';
import { resolve } from 'node:path';
import { Container, ContainerModule } from 'inversify';
import type { BrokerConfig } from '../config/broker-config';
import { BrokerSettings, defaultBrokerSettings } from '../config/broker-settings';
import { brokerConfigSchema, securitySettingsSchema } from '../config/broker-config-schema';
import { ConfigError } from '../config/config-error';
import { validateAgainstSchema } from '../config/validate-against-schema';
import { CoordinationService } from '../coordination/coordination-service';
import { PullWaiters } from '../dispatch/pull-waiters';
import { createLogger, Logger } from '../logging/logger';
import { createMetricsRegistry, MetricsRegistry } from '../metrics/metrics-registry';
import { AverageAllocationStrategy } from '../group/average-allocation-strategy';
import { ConsistentHashAllocationStrategy } from '../group/consistent-hash-allocation-strategy';
import { GroupCoordinator } from '../group/group-coordinator';
import { QueueAllocationStrategy } from '../group/queue-allocation-strategy';
import { RoundRobinAllocationStrategy } from '../group/round-robin-allocation-strategy';
import { StickyAllocationStrategy } from '../group/sticky-allocation-strategy';
import { ConsumerOffsetStore } from '../offset/consumer-offset-store';
import { PopService } from '../pop/pop-service';
import { QueueBrowser } from '../pop/queue-browser';
import { resolvePlugin } from '../plugin/resolve-plugin';
import type { PluginUse, TesseraPlugin } from '../plugin/tessera-plugin';
import { LocalReplicationDriver } from '../replication/local-replication-driver';
import { ReplicationDriver } from '../replication/replication-driver';
import { ConfiguredUserStore } from '../security/configured-user-store';
import type { SecuritySettings } from '../security/security-settings';
import { UserStore } from '../security/user-store';
import { StorageEngine } from '../storage/storage-engine';
import { TopicRegistry } from '../topic/topic-registry';
import { Broker } from './broker';
import { BrokerProvider } from './broker-provider';
import { BrokerRuntime } from './broker-runtime';
import { KernelBroker } from './kernel-broker';

export interface CreateBrokerOptions {
  broker?: Partial<BrokerSettings>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  plugins: ReadonlyArray<TesseraPlugin<any> | PluginUse<any>>;
  /** The users the default UserStore serves (a plugin may bind its own store instead). */
  security?: SecuritySettings;
  logger?: Logger;
}

/**
 * Assembles a broker in code: `createBroker({ plugins: [storeCommitlog, protocolNative, ...] })`.
 * Returns it unstarted; call `start()`.
 */
export function createBroker(options: CreateBrokerOptions): BrokerRuntime {
  const settings: BrokerSettings = {
    ...defaultBrokerSettings,
    logLevel: process.env.TESSERA_LOG_LEVEL ?? defaultBrokerSettings.logLevel,
    ...stripUndefined(options.broker ?? {}),
  };
  validateAgainstSchema(brokerConfigSchema.properties.broker, settings, 'broker', 'broker settings');
  settings.dataDir = resolve(settings.dataDir);
  const logger = options.logger ?? createLogger({ level: settings.logLevel });
  const container = new Container();
  container.bind(BrokerSettings).toConstantValue(settings);
  container.bind(Logger).toConstantValue(logger);
  container.bind(MetricsRegistry).toConstantValue(createMetricsRegistry());
  const seen = new Set<string>();
  for (const [index, entry] of options.plugins.entries()) {
    const use: PluginUse = 'plugin' in entry ? entry : { plugin: entry };
    if (seen.has(use.plugin.name)) throw new ConfigError(`plugins.${index}: plugin "${use.plugin.name}" is listed twice`, `plugins.${index}`);
    seen.add(use.plugin.name);
    const pluginOptions = structuredClone(use.options ?? {}) as Record<string, unknown>;
    if (use.plugin.optionsSchema) {
      validateAgainstSchema(use.plugin.optionsSchema, pluginOptions, `plugins.${index}.options`, `plugin ${use.plugin.name}`);
    }
    container.load(use.plugin.createModule(pluginOptions, settings));
  }
  requireExactlyOne(container, StorageEngine, 'a storage plugin (e.g. @tessera/store-commitlog)');
  requireExactlyOne(container, CoordinationService, 'a coordination plugin (e.g. @tessera/coordination-local)');
  if (!container.isBound(UserStore)) {
    const security = structuredClone(options.security ?? { users: [] }) as SecuritySettings;
    validateAgainstSchema(securitySettingsSchema, security, 'security', 'security settings');
    container.bind(UserStore).toConstantValue(new ConfiguredUserStore(security));
  }
  if (!container.isBound(ReplicationDriver)) {
    container.bind(ReplicationDriver).to(LocalReplicationDriver).inSingletonScope();
  }
  container.load(
    new ContainerModule(({ bind }) => {
      bind(TopicRegistry).toSelf().inSingletonScope();
      bind(ConsumerOffsetStore).toSelf().inSingletonScope();
      bind(PullWaiters).toSelf().inSingletonScope();
      bind(QueueAllocationStrategy).to(AverageAllocationStrategy).inSingletonScope();
      bind(QueueAllocationStrategy).to(RoundRobinAllocationStrategy).inSingletonScope();
      bind(QueueAllocationStrategy).to(ConsistentHashAllocationStrategy).inSingletonScope();
      bind(QueueAllocationStrategy).to(StickyAllocationStrategy).inSingletonScope();
      bind(GroupCoordinator).toSelf().inSingletonScope();
      bind(PopService).toSelf().inSingletonScope();
      bind(QueueBrowser).toSelf().inSingletonScope();
      bind(Broker).to(KernelBroker).inSingletonScope();
      bind<BrokerProvider>(BrokerProvider).toFactory((context) => () => context.get<Broker>(Broker));
    }),
  );
  return new BrokerRuntime(container);
}

export interface ConfigOverrides {
  broker?: Partial<BrokerSettings>;
  /** Options merged over a plugin's options from the file, by plugin name. */
  pluginOptions?: Record<string, Record<string, unknown>>;
  logger?: Logger;
}

/** Assembles a broker from a config file's content, loading each listed plugin by name. */
export function createBrokerFromConfig(config: BrokerConfig, overrides: ConfigOverrides = {}, searchPaths: string[] = []): BrokerRuntime {
  validateAgainstSchema(brokerConfigSchema, config, '', 'config');
  const plugins = (config.plugins ?? []).map((entry, index) => {
    const plugin = resolvePlugin(entry.name, `plugins.${index}.name`, searchPaths);
    return { plugin, options: { ...(entry.options ?? {}), ...(overrides.pluginOptions?.[plugin.name] ?? {}) } };
  });
  for (const name of Object.keys(overrides.pluginOptions ?? {})) {
    if (!plugins.some((p) => p.plugin.name === name)) {
      throw new ConfigError(`an override targets plugin "${name}", which the config does not load`);
    }
  }
  return createBroker({
    broker: { ...config.broker, ...stripUndefined(overrides.broker ?? {}) },
    plugins,
    security: config.security,
    logger: overrides.logger,
  });
}

function requireExactlyOne(container: Container, id: symbol, what: string): void {
  if (!container.isBound(id)) throw new ConfigError(`the broker needs ${what}; none of the listed plugins provides one`);
  const all = container.getAll(id, { optional: true }) as unknown[] | undefined;
  if (all && all.length > 1) throw new ConfigError(`only one plugin may provide ${String(id.description)}; ${all.length} do`);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
