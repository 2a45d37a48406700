export const QueueAllocationStrategy = Symbol.for('tessera.QueueAllocationStrategy');

export interface AllocationInput {
  group: string;
  topic: string;
  /** The topic's read queues, ascending. */
  queueIds: readonly number[];
  /** Client ids of the live CLUSTERING members subscribed to the topic, ascending. */
  members: readonly string[];
  /** Queue → owner under the previous allocation (what `sticky` keeps where it can). */
  previous: ReadonlyMap<number, string>;
}

/**
 * Decides which member of a consumer group consumes which queue of a topic. The kernel binds
 * `average`, `round-robin`, `consistent-hash` and `sticky`; a plugin may bind more. Members
 * name the strategy in their heartbeat; a group uses the one its longest-standing member names.
 */
export interface QueueAllocationStrategy {
  readonly name: string;
  /** Queue id → member client id; every queue is allocated when there is at least one member. */
  allocate(input: AllocationInput): Map<number, string>;
}
