export const NativeProtocolOptions = Symbol.for('tessera.protocol-native.Options');

export interface NativeProtocolOptions {
  host: string;
  /** 0 picks a free port; `endpoints()` reports the real one. */
  port: number;
  /** Largest frame accepted (length fields included), and largest body after decompression. */
  maxFrameBytes: number;
  /** Reading from a connection pauses while this many of its requests are unanswered. */
  maxInFlightRequestsPerConnection: number;
  /** Long polls (pulls, receives, assignment syncs) held at once per connection; those beyond it are answered at once. */
  maxHeldPullsPerConnection: number;
  /** How long `stop()` waits for in-flight requests before closing connections. */
  drainTimeoutMs: number;
}
