export const CoordinationService = Symbol.for('tessera.CoordinationService');

export interface BrokerRegistration {
  brokerName: string;
  nodeId: string;
  /** Protocol name → host:port, e.g. { native: '127.0.0.1:10911' }. */
  endpoints: Record<string, string>;
  startedAt: number;
}

/** Which broker group serves which queues of a topic. */
export interface TopicRoute {
  topic: string;
  brokerName: string;
  writeQueueCount: number;
  readQueueCount: number;
}

export type MessageModel = 'CLUSTERING' | 'BROADCASTING';

export interface GroupMemberHeartbeat {
  group: string;
  clientId: string;
  topics: readonly string[];
  messageModel: MessageModel;
  /** Name of a bound QueueAllocationStrategy; `average` when absent. */
  allocationStrategy?: string;
}

export interface GroupMember extends GroupMemberHeartbeat {
  lastHeartbeatAt: number;
  joinedAt: number;
}

export interface Disposable {
  dispose(): void;
}

/**
 * Broker registry and liveness, topic routes, consumer-group membership and leases. The local
 * service keeps all of it in-process; a cluster backend (etcd) keeps it in a consensus store.
 */
export interface CoordinationService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;

  registerBroker(registration: BrokerRegistration): Promise<void>;
  unregisterBroker(nodeId: string): Promise<void>;
  listBrokers(): Promise<BrokerRegistration[]>;

  publishTopicRoute(route: TopicRoute): Promise<void>;
  removeTopicRoute(topic: string): Promise<void>;
  getTopicRoutes(topic: string): Promise<TopicRoute[]>;

  /** Joins the member if new; refreshes its liveness otherwise. */
  heartbeat(member: GroupMemberHeartbeat): Promise<void>;
  leaveGroup(group: string, clientId: string): Promise<void>;
  /** Live members, sorted by client id; members past the session timeout are gone. */
  listGroupMembers(group: string): Promise<GroupMember[]>;
  listGroups(): Promise<string[]>;
  /** Called with a group's name whenever its membership changes (join, leave, expiry). */
  onGroupChange(listener: (group: string) => void): Disposable;

  /** Takes or renews a named lease for `holder`; false if someone else holds it. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
