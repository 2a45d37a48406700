import type { Broker } from './broker';

export const BrokerProvider = Symbol.for('tessera.BrokerProvider');

/**
 * The Broker, looked up when called. For MessageHooks and other services the broker itself is
 * built from (it takes every hook in its constructor), which therefore cannot take the Broker in
 * theirs: inject this and call it once the broker runs.
 */
export type BrokerProvider = () => Broker;
