import { waitUntil } from './wait-until';

export interface SendThroughCrashesOptions {
  messages: number;
  /** Sends outstanding at once: a kill always finds some without an answer. */
  inFlight: number;
  /** SIGKILL the broker once this many sends were confirmed, for each entry. */
  killAt: readonly number[];
  /** What the broker's confirmation is called in messages, e.g. 'PUBACKs'. */
  confirmation: string;
  /** Sends message `seq` (its body is the number); resolves only when the broker confirmed it. */
  send(seq: number): Promise<void>;
  /** Kills the broker with SIGKILL and starts it again on the same addresses. */
  crashAndRestart(): Promise<void>;
}

export interface CrashRun {
  confirmed: Set<number>;
  failedAttempts: number;
  kills: string[];
  startedAt: number;
}

/**
 * Sends `messages` numbered messages, retrying each until confirmed (at most 200 times), while
 * the broker is killed and restarted at the `killAt` counts.
 */
export async function sendThroughCrashes(options: SendThroughCrashesOptions): Promise<CrashRun> {
  const run: CrashRun = { confirmed: new Set(), failedAttempts: 0, kills: [], startedAt: Date.now() };
  let next = 0;
  const crashWhenDue = async () => {
    while (run.kills.length < options.killAt.length) {
      if (run.confirmed.size >= options.killAt[run.kills.length]!) {
        const confirmedAtKill = run.confirmed.size;
        await options.crashAndRestart();
        run.kills.push(`SIGKILL after ${confirmedAtKill} ${options.confirmation}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const worker = async () => {
    while (next < options.messages) {
      const seq = next++;
      for (let attempt = 0; !run.confirmed.has(seq); attempt++) {
        if (attempt > 200) throw new Error(`message ${seq} was never confirmed`);
        try {
          await options.send(seq);
          run.confirmed.add(seq);
        } catch {
          run.failedAttempts++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  };
  await Promise.all([...Array.from({ length: options.inFlight }, worker), crashWhenDue()]);
  return run;
}

/** Waits until every confirmed message was received (up to 60 s); returns how many deliveries were duplicates. */
export async function expectEveryConfirmedReceived(run: CrashRun, received: ReadonlyMap<number, number>): Promise<number> {
  await waitUntil(
    () => [...run.confirmed].every((seq) => received.has(seq)),
    60_000,
    () => `${[...run.confirmed].filter((seq) => !received.has(seq)).length} confirmed messages not received; ${run.kills.join(', ')}`,
    200,
  );
  return [...received.values()].reduce((sum, count) => sum + count - 1, 0);
}
