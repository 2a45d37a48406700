export const LifecycleContribution = Symbol.for('tessera.LifecycleContribution');

/**
 * Start/stop hooks for plugins that own background work (timers, system topics, metrics).
 * They start after storage, replication, coordination and kernel state are up, before protocol
 * adapters accept clients; they stop in reverse order after adapters have stopped.
 */
export interface LifecycleContribution {
  readonly name: string;
  onStart?(): Promise<void>;
  onStop?(): Promise<void>;
}
