import { randomUUID } from 'node:crypto';
import type { Container } from 'inversify';
import { BrokerSettings } from '../config/broker-settings';
import { CoordinationService } from '../coordination/coordination-service';
import { MessageHooks } from '../hooks/message-hooks';
import { LifecycleContribution } from '../lifecycle/lifecycle-contribution';
import { Logger } from '../logging/logger';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { GroupCoordinator } from '../group/group-coordinator';
import { ConsumerOffsetStore } from '../offset/consumer-offset-store';
import { PopService } from '../pop/pop-service';
import { ProtocolAdapter, type Endpoint } from '../protocol/protocol-adapter';
import { ReplicationDriver } from '../replication/replication-driver';
import { StorageEngine } from '../storage/storage-engine';
import { TopicRegistry } from '../topic/topic-registry';
import { Broker } from './broker';
import { KernelBroker } from './kernel-broker';

type State = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Starts and stops an assembled broker in order. Start: storage (recovery) → replication →
 * coordination → topics and offsets → lifecycle contributions → protocol adapters (clients
 * come last). Stop is the reverse: adapters stop accepting and drain first, storage flushes last.
 */
export class BrokerRuntime {
  readonly nodeId = randomUUID();
  private state: State = 'created';
  private tickTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  constructor(readonly container: Container) {}

  get broker(): Broker {
    return this.container.get<Broker>(Broker);
  }

  get settings(): BrokerSettings {
    return this.container.get<BrokerSettings>(BrokerSettings);
  }

  get logger(): Logger {
    return this.container.get<Logger>(Logger);
  }

  get metrics(): MetricsRegistry {
    return this.container.get<MetricsRegistry>(MetricsRegistry);
  }

  get storage(): StorageEngine {
    return this.container.get<StorageEngine>(StorageEngine);
  }

  get running(): boolean {
    return this.state === 'running';
  }

  endpoints(): Endpoint[] {
    return this.adapters().flatMap((adapter) => adapter.endpoints());
  }

  /** The endpoint of a protocol, e.g. `native`; throws if no adapter serves it. */
  endpoint(protocol: string): Endpoint {
    const found = this.endpoints().find((e) => e.protocol === protocol);
    if (!found) throw new Error(`no ${protocol} adapter is running`);
    return found;
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`cannot start a broker that is ${this.state}`);
    this.state = 'starting';
    const logger = this.logger;
    const settings = this.settings;
    const storage = this.storage;
    const startedAt = Date.now();
    await storage.open();
    await this.container.get<ReplicationDriver>(ReplicationDriver).start();
    const coordination = this.container.get<CoordinationService>(CoordinationService);
    await coordination.start();
    await this.container.get<TopicRegistry>(TopicRegistry).load();
    const offsets = this.container.get<ConsumerOffsetStore>(ConsumerOffsetStore);
    offsets.load();
    const clamped = offsets.clampToQueueEnds((topic, queueId) => storage.queueRange(topic, queueId).maxOffset);
    if (clamped.length > 0) {
      logger.warn({ clamped: clamped.slice(0, 20), count: clamped.length }, 'committed offsets past their queue end (the log lost an unsynced tail) were pulled back to it');
    }
    this.container.get<GroupCoordinator>(GroupCoordinator).start();
    await this.container.get<PopService>(PopService).start();
    // Resolved now rather than on first use, so the kernel's metrics are there from the first scrape.
    this.container.get<Broker>(Broker);
    for (const contribution of this.contributions()) await contribution.onStart?.();
    for (const adapter of this.adapters()) await adapter.start();
    const endpoints = this.endpoints();
    await coordination.registerBroker({
      brokerName: settings.brokerName,
      nodeId: this.nodeId,
      endpoints: Object.fromEntries(endpoints.map((e) => [e.protocol, `${e.host}:${e.port}`])),
      startedAt,
    });
    this.startTicking();
    this.state = 'running';
    logger.info(
      { brokerName: settings.brokerName, dataDir: settings.dataDir, storage: storage.name, endpoints, ms: Date.now() - startedAt },
      'broker started',
    );
  }

  /** Stops in order; safe to call more than once (later calls wait for the first). */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.state === 'created' || this.state === 'stopped') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    const logger = this.logger;
    logger.info('broker stopping: refusing new work, draining in-flight requests');
    if (this.tickTimer) clearInterval(this.tickTimer);
    const kernel = this.container.get<KernelBroker>(Broker);
    kernel.stopAccepting();
    const steps: Array<[string, () => Promise<void> | void]> = [
      ...this.adapters()
        .reverse()
        .map((a): [string, () => Promise<void>] => [`adapter ${a.protocol}`, () => a.stop()]),
      ...this.contributions()
        .reverse()
        .map((c): [string, () => Promise<void>] => [`plugin ${c.name}`, async () => c.onStop?.()]),
      ['per-message-ack state', () => this.container.get<PopService>(PopService).stop()],
      ['consumer groups', () => this.container.get<GroupCoordinator>(GroupCoordinator).stop()],
      ['consumer offsets', () => this.container.get<ConsumerOffsetStore>(ConsumerOffsetStore).stop()],
      ['coordination', async () => {
        const coordination = this.container.get<CoordinationService>(CoordinationService);
        await coordination.unregisterBroker(this.nodeId);
        await coordination.stop();
      }],
      ['replication', () => this.container.get<ReplicationDriver>(ReplicationDriver).stop()],
      ['storage', () => this.storage.close()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error }, `stopping ${name} failed`);
      }
    }
    this.state = 'stopped';
    logger.info('broker stopped');
  }

  private startTicking(): void {
    const hooks = this.container.getAll<MessageHooks>(MessageHooks).filter((h) => h.onTick);
    const storage = this.storage;
    const logger = this.logger;
    let busy = false;
    this.tickTimer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const now = Date.now();
        for (const hook of hooks) await hook.onTick!(now);
        const report = await storage.enforceRetention(now);
        if (report.deletedSegments > 0) logger.info(report, 'retention deleted log segments');
      } catch (error) {
        logger.error({ err: error }, 'periodic broker work failed');
      } finally {
        busy = false;
      }
    }, this.settings.tickIntervalMs);
    this.tickTimer.unref();
  }

  private adapters(): ProtocolAdapter[] {
    return this.container.getAll<ProtocolAdapter>(ProtocolAdapter, { optional: true }) ?? [];
  }

  private contributions(): LifecycleContribution[] {
    return this.container.getAll<LifecycleContribution>(LifecycleContribution, { optional: true }) ?? [];
  }
}
