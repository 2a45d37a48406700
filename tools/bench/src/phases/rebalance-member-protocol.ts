/** What a rebalance member process is started with (one JSON argument). */
export interface RebalanceMemberSetup {
  server: string;
  group: string;
  topic: string;
  clientId: string;
  heartbeatIntervalMs: number;
}

/** From the bench: join the group now; leave it gracefully (then exit). */
export type RebalanceMemberCommand = { type: 'join' } | { type: 'leave' };

/** From the member: loaded and waiting; joined (start() returned); or why it failed. */
export type RebalanceMemberReport = { type: 'ready' } | { type: 'joined' } | { type: 'failed'; message: string };
