/** What a handler knows about the connection a request came on. */
export interface RequestContext {
  readonly remoteAddress: string;
  /** Aborted when the connection closes or the adapter stops: held pulls return at once. */
  readonly signal: AbortSignal;
  /** Takes one of the connection's long-poll slots; false when all are held. */
  tryHoldPull(): boolean;
  releasePull(): void;
}
