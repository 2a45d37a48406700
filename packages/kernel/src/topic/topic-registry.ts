import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { BrokerSettings } from '../config/broker-settings';
import { CoordinationService } from '../coordination/coordination-service';
import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import { AtomicJsonFile } from '../storage/atomic-json-file';
import { StorageEngine } from '../storage/storage-engine';
import {
  KERNEL_TOPIC_PREFIX,
  MAX_QUEUE_COUNT,
  MAX_TOPIC_NAME_LENGTH,
  TOPIC_NAME_PATTERN,
  type TopicConfig,
  type TopicPermission,
} from './topic-config';

export interface TopicSpec {
  name: string;
  writeQueueCount?: number;
  readQueueCount?: number;
  permission?: TopicPermission;
  system?: boolean;
}

export type TopicUpdate = Partial<Omit<TopicSpec, 'name' | 'system'>>;

/** The broker's topics: created, updated, deleted and listed here, persisted under dataDir/metadata. */
@injectable()
export class TopicRegistry {
  private readonly topics = new Map<string, TopicConfig>();
  private readonly file: AtomicJsonFile<TopicConfig[]>;

  constructor(
    @inject(BrokerSettings) private readonly settings: BrokerSettings,
    @inject(CoordinationService) private readonly coordination: CoordinationService,
    @inject(StorageEngine) private readonly storage: StorageEngine,
  ) {
    this.file = new AtomicJsonFile(join(settings.dataDir, 'metadata', 'topics.json'));
  }

  async load(): Promise<void> {
    this.topics.clear();
    for (const topic of this.file.read() ?? []) this.topics.set(topic.name, topic);
    for (const topic of this.topics.values()) await this.publishRoute(topic);
  }

  get(name: string): TopicConfig | undefined {
    return this.topics.get(name);
  }

  /** The topic, created with defaults if auto-create is on; throws TOPIC_NOT_FOUND otherwise. */
  async getOrAutoCreate(name: string): Promise<TopicConfig> {
    const existing = this.topics.get(name);
    if (existing) return existing;
    if (!this.settings.autoCreateTopics) {
      throw new TesseraError(ErrorCode.TOPIC_NOT_FOUND, `topic "${name}" does not exist and auto-create is off`);
    }
    return this.create({ name });
  }

  list(includeSystem = true): TopicConfig[] {
    return [...this.topics.values()].filter((t) => includeSystem || !t.system).sort((a, b) => a.name.localeCompare(b.name));
  }

  async create(spec: TopicSpec): Promise<TopicConfig> {
    validateTopicName(spec.name);
    if (this.topics.has(spec.name)) {
      throw new TesseraError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic "${spec.name}" already exists`);
    }
    const writeQueueCount = spec.writeQueueCount ?? this.settings.defaultQueueCount;
    const topic: TopicConfig = {
      name: spec.name,
      writeQueueCount: validateQueueCount(writeQueueCount, 'writeQueueCount'),
      readQueueCount: validateQueueCount(spec.readQueueCount ?? writeQueueCount, 'readQueueCount'),
      permission: validatePermission(spec.permission ?? 'rw'),
      system: spec.system ?? spec.name.startsWith('%'),
      createdAt: Date.now(),
    };
    this.topics.set(topic.name, topic);
    await this.persist();
    await this.publishRoute(topic);
    return topic;
  }

  async update(name: string, update: TopicUpdate): Promise<TopicConfig> {
    const topic = this.require(name);
    const updated: TopicConfig = {
      ...topic,
      writeQueueCount:
        update.writeQueueCount === undefined ? topic.writeQueueCount : validateQueueCount(update.writeQueueCount, 'writeQueueCount'),
      readQueueCount:
        update.readQueueCount === undefined ? topic.readQueueCount : validateQueueCount(update.readQueueCount, 'readQueueCount'),
      permission: update.permission === undefined ? topic.permission : validatePermission(update.permission),
    };
    this.topics.set(name, updated);
    await this.persist();
    await this.publishRoute(updated);
    return updated;
  }

  async delete(name: string): Promise<void> {
    this.require(name);
    this.topics.delete(name);
    await this.persist();
    await this.coordination.removeTopicRoute(name);
    await this.storage.deleteTopic(name);
  }

  require(name: string): TopicConfig {
    const topic = this.topics.get(name);
    if (!topic) throw new TesseraError(ErrorCode.TOPIC_NOT_FOUND, `topic "${name}" does not exist`);
    return topic;
  }

  private persist(): Promise<void> {
    return this.file.write([...this.topics.values()]);
  }

  private publishRoute(topic: TopicConfig): Promise<void> {
    return this.coordination.publishTopicRoute({
      topic: topic.name,
      brokerName: this.settings.brokerName,
      writeQueueCount: topic.writeQueueCount,
      readQueueCount: topic.readQueueCount,
    });
  }
}

export function validateTopicName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_TOPIC_NAME_LENGTH || !TOPIC_NAME_PATTERN.test(name)) {
    throw new TesseraError(
      ErrorCode.INVALID_TOPIC_NAME,
      `invalid topic name ${JSON.stringify(name)}: 1 to ${MAX_TOPIC_NAME_LENGTH} characters of A-Z a-z 0-9 _ - . % |`,
    );
  }
  if (name.startsWith(KERNEL_TOPIC_PREFIX)) {
    throw new TesseraError(
      ErrorCode.INVALID_TOPIC_NAME,
      `invalid topic name ${JSON.stringify(name)}: names starting with ${KERNEL_TOPIC_PREFIX} are the kernel's own`,
    );
  }
}

function validateQueueCount(count: number, field: string): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_QUEUE_COUNT) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `${field} must be an integer from 1 to ${MAX_QUEUE_COUNT}, got ${count}`);
  }
  return count;
}

function validatePermission(permission: string): TopicPermission {
  if (!['rw', 'r', 'w', 'none'].includes(permission)) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `permission must be rw, r, w or none, got ${JSON.stringify(permission)}`);
  }
  return permission as TopicPermission;
}
