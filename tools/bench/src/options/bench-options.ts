import { Command, InvalidArgumentError } from 'commander';

export const BENCH_SUITES = ['native', 'group', 'delay', 'mqtt', 'amqp'] as const;
export type BenchSuite = (typeof BENCH_SUITES)[number];

export interface BenchOptions {
  suite: BenchSuite;
  /** Length of each measured phase. */
  phaseMs: number;
  quick: boolean;
}

const DEFAULT_PHASE_SECONDS = 10;
const QUICK_PHASE_SECONDS = 3;

/** Reads `main.js <suite> [--duration SECONDS] [--quick]`; `--quick` shortens phases unless --duration says otherwise. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let parsed: BenchOptions | undefined;
  new Command('bench')
    .description('Tessera benchmark: starts its own brokers, prints figures, writes bench-results/<suite>-<timestamp>.json')
    .argument('<suite>', `what to measure: ${BENCH_SUITES.join(', ')}`, (value) => {
      if (!(BENCH_SUITES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown suite (known: ${BENCH_SUITES.join(', ')})`);
      return value as BenchSuite;
    })
    .option('--duration <seconds>', `seconds per phase (default ${DEFAULT_PHASE_SECONDS}, ${QUICK_PHASE_SECONDS} with --quick)`, (value) => {
      const seconds = Number(value);
      if (!(seconds > 0) || !Number.isFinite(seconds)) throw new InvalidArgumentError('must be a positive number of seconds');
      return seconds;
    })
    .option('--quick', 'short phases, for a smoke run')
    .exitOverride()
    .action((suite: BenchSuite, options: { duration?: number; quick?: boolean }) => {
      const quick = options.quick === true;
      parsed = { suite, quick, phaseMs: Math.round((options.duration ?? (quick ? QUICK_PHASE_SECONDS : DEFAULT_PHASE_SECONDS)) * 1000) };
    })
    .parse([...argv], { from: 'user' });
  return parsed!;
}
