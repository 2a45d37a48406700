export const ProtocolAdapter = Symbol.for('tessera.ProtocolAdapter');

export interface Endpoint {
  protocol: string;
  host: string;
  port: number;
}

/**
 * A wire protocol's front. It translates its protocol into calls on the kernel's `Broker`
 * and never touches storage directly. `stop` stops accepting, lets in-flight requests finish
 * (bounded by a timeout), then closes connections.
 */
export interface ProtocolAdapter {
  readonly protocol: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Where it listens (the real port when configured with port 0). Valid after start. */
  endpoints(): Endpoint[];
}
