/** What a handler knows about the connection a request came on. */
export interface RequestContext {
  readonly remoteAddress: string;
  /** Aborted when the connection closes or the adapter stops: held requests return at once. */
  readonly signal: AbortSignal;
  /** Takes one of the connection's long-poll slots (held pulls, receives, assignment syncs); false when all are held. */
  tryHoldPull(): boolean;
  releasePull(): void;
}
