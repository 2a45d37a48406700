import { CliUsageError } from './cli-usage-error';

export interface MessageQueryOptions {
  key?: string;
  /** Epoch ms, from `--from` and `--to`. */
  from?: number;
  to?: number;
}

export type MessageQuery = { key: string } | { from: number; to: number };

/** `message query` looks messages up by exactly one of `--key K` and `--from ISO --to ISO`. */
export function resolveMessageQuery(options: MessageQueryOptions): MessageQuery {
  const byTime = options.from !== undefined || options.to !== undefined;
  if (options.key !== undefined && byTime) throw new CliUsageError('use either --key or --from/--to, not both');
  if (options.key !== undefined) return { key: options.key };
  if (options.from === undefined || options.to === undefined) {
    throw new CliUsageError(byTime ? 'a time range needs both --from and --to' : 'message query needs --key K or --from ISO --to ISO');
  }
  if (options.from > options.to) throw new CliUsageError('--from must be at or before --to');
  return { from: options.from, to: options.to };
}
