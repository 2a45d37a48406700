import { join } from 'node:path';
import { Admin } from '@tessera/client';
import { GroupMemberProcess } from './group-member-process';
import { waitUntil } from './wait-until';
import type { GroupMemberWorkerConfig } from './group-member-worker';

/** Committed offsets of the queues a killed member owned, read right after the kill. */
export interface DeathRecord {
  clientId: string;
  committedByQueue: Map<number, number>;
}

export interface ChurnSettings {
  server: string;
  group: string;
  topic: string;
  dir: string;
  member: Pick<GroupMemberWorkerConfig, 'consumeMode' | 'workMs' | 'consumeBatchSize' | 'heartbeatIntervalMs' | 'allocationStrategy'>;
  random: () => number;
  minMembers: number;
  maxMembers: number;
}

/**
 * Keeps a consumer group busy changing: members are killed (SIGKILL), stopped gracefully or
 * added at random moments. Every member logs what it processes to its own file.
 */
export class MemberChurn {
  readonly logFiles: string[] = [];
  readonly deaths: DeathRecord[] = [];
  readonly events: string[] = [];
  private readonly live: GroupMemberProcess[] = [];
  private nextId = 0;
  private readonly admin: Admin;

  constructor(private readonly settings: ChurnSettings) {
    this.admin = new Admin({ server: settings.server });
  }

  async start(initialMembers: number): Promise<void> {
    await this.admin.start();
    await Promise.all(Array.from({ length: initialMembers }, () => this.add()));
  }

  get kills(): number {
    return this.events.filter((e) => e.startsWith('kill')).length;
  }

  get joins(): number {
    return this.events.filter((e) => e.startsWith('join')).length;
  }

  /** One random change: a kill, a graceful leave or a join, within the member-count bounds. */
  async step(): Promise<void> {
    const { random, minMembers, maxMembers } = this.settings;
    const roll = random();
    if (this.live.length < maxMembers && (this.live.length <= minMembers || roll < 0.4)) await this.add();
    else if (roll < 0.8) await this.killOne();
    else await this.stopOne();
  }

  /**
   * Changes the group at random moments 1.5–3.5 s apart until at least 2 kills and 5 joins have
   * happened and `processed()` passed 80% of `total` (at most 60 s), then waits (at most 120 s)
   * until everything is processed.
   */
  async churnUntilProcessed(processed: () => number, total: number): Promise<void> {
    const { random } = this.settings;
    const enoughChurn = () => this.kills >= 2 && this.joins >= 5;
    const churnUntil = Date.now() + 60_000;
    while (Date.now() < churnUntil && (!enoughChurn() || processed() < total * 0.8)) {
      await new Promise((resolve) => setTimeout(resolve, 1500 + random() * 2000));
      if (processed() >= total * 0.9 && enoughChurn()) break;
      await this.step();
    }
    await waitUntil(() => processed() >= total, 120_000, () => `processed ${processed()} of ${total}; ${this.events.join('; ')}`, 500);
  }

  async killOne(): Promise<void> {
    const member = this.live.splice(Math.floor(this.settings.random() * this.live.length), 1)[0]!;
    await member.kill();
    // The dead member still owns its queues until its session times out: nobody else can have
    // committed on them, so these are exactly its last commits.
    const { queues } = await this.admin.describeGroup(this.settings.group, this.settings.topic);
    const committedByQueue = new Map<number, number>();
    for (const queue of queues) {
      if (queue.owner === member.clientId) committedByQueue.set(queue.queueId, queue.committedOffset ?? -1);
    }
    this.deaths.push({ clientId: member.clientId, committedByQueue });
    this.events.push(`kill ${member.clientId} (owned ${[...committedByQueue.keys()].join(',')})`);
  }

  async stopOne(): Promise<void> {
    const member = this.live.splice(Math.floor(this.settings.random() * this.live.length), 1)[0]!;
    await member.stop();
    this.events.push(`leave ${member.clientId}`);
  }

  async add(): Promise<void> {
    const clientId = `member-${this.nextId++}`;
    const logFile = join(this.settings.dir, `${clientId}.log`);
    this.logFiles.push(logFile);
    const { server, group, topic } = this.settings;
    this.live.push(await GroupMemberProcess.start({ server, group, topic, clientId, logFile, ...this.settings.member }));
    this.events.push(`join ${clientId}`);
  }

  memberErrors(): string {
    return this.live.map((m) => m.errors).join('');
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.live.splice(0).map((m) => m.stop()));
    await this.admin.shutdown();
  }
}
