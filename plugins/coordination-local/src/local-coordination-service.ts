import { inject, injectable } from 'inversify';
import {
  BrokerSettings,
  type BrokerRegistration,
  type CoordinationService,
  type Disposable,
  type GroupMember,
  type GroupMemberHeartbeat,
  type TopicRoute,
} from '@tessera/kernel';

interface Lease {
  holder: string;
  expiresAt: number;
}

/**
 * Coordination for a single node: everything in process memory. Group members expire after
 * `groupSessionTimeoutMs` without a heartbeat; listeners hear of every membership change (a join,
 * a leave, an expiry, or a member changing its topics, message model or allocation strategy).
 */
@injectable()
export class LocalCoordinationService implements CoordinationService {
  readonly name = 'local';
  private readonly brokers = new Map<string, BrokerRegistration>();
  private readonly routes = new Map<string, TopicRoute>();
  private readonly groups = new Map<string, Map<string, GroupMember>>();
  private readonly leases = new Map<string, Lease>();
  private readonly listeners = new Set<(group: string) => void>();
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(@inject(BrokerSettings) private readonly settings: BrokerSettings) {}

  async start(): Promise<void> {
    const period = Math.max(50, Math.min(1000, Math.floor(this.settings.groupSessionTimeoutMs / 4)));
    this.expiryTimer = setInterval(() => this.expireMembers(Date.now()), period);
    this.expiryTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  async registerBroker(registration: BrokerRegistration): Promise<void> {
    this.brokers.set(registration.nodeId, registration);
  }

  async unregisterBroker(nodeId: string): Promise<void> {
    this.brokers.delete(nodeId);
  }

  async listBrokers(): Promise<BrokerRegistration[]> {
    return [...this.brokers.values()];
  }

  async publishTopicRoute(route: TopicRoute): Promise<void> {
    this.routes.set(route.topic, route);
  }

  async removeTopicRoute(topic: string): Promise<void> {
    this.routes.delete(topic);
  }

  async getTopicRoutes(topic: string): Promise<TopicRoute[]> {
    const route = this.routes.get(topic);
    return route ? [route] : [];
  }

  async heartbeat(heartbeat: GroupMemberHeartbeat): Promise<void> {
    const now = Date.now();
    let members = this.groups.get(heartbeat.group);
    if (!members) this.groups.set(heartbeat.group, (members = new Map()));
    const existing = members.get(heartbeat.clientId);
    const topics = [...heartbeat.topics].sort();
    const changed =
      !existing ||
      existing.messageModel !== heartbeat.messageModel ||
      existing.allocationStrategy !== heartbeat.allocationStrategy ||
      existing.topics.length !== topics.length ||
      existing.topics.some((t, i) => t !== topics[i]);
    members.set(heartbeat.clientId, {
      group: heartbeat.group,
      clientId: heartbeat.clientId,
      topics,
      messageModel: heartbeat.messageModel,
      allocationStrategy: heartbeat.allocationStrategy,
      joinedAt: existing?.joinedAt ?? now,
      lastHeartbeatAt: now,
    });
    if (changed) this.emit(heartbeat.group);
  }

  async leaveGroup(group: string, clientId: string): Promise<void> {
    if (this.groups.get(group)?.delete(clientId)) this.emit(group);
  }

  async listGroupMembers(group: string): Promise<GroupMember[]> {
    this.expireMembers(Date.now());
    return [...(this.groups.get(group)?.values() ?? [])].sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
  }

  async listGroups(): Promise<string[]> {
    return [...this.groups.keys()].filter((g) => this.groups.get(g)!.size > 0).sort();
  }

  onGroupChange(listener: (group: string) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = this.leases.get(name);
    if (lease && lease.holder !== holder && lease.expiresAt > now) return false;
    this.leases.set(name, { holder, expiresAt: now + ttlMs });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }

  private expireMembers(now: number): void {
    for (const [group, members] of this.groups) {
      let changed = false;
      for (const [clientId, member] of members) {
        if (now - member.lastHeartbeatAt > this.settings.groupSessionTimeoutMs) {
          members.delete(clientId);
          changed = true;
        }
      }
      if (changed) this.emit(group);
    }
  }

  private emit(group: string): void {
    for (const listener of this.listeners) listener(group);
  }
}
