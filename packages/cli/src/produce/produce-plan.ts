import { randomBytes } from 'node:crypto';
import { CliUsageError } from '../options/cli-usage-error';

export interface ProduceOptions {
  topic: string;
  body?: string;
  count?: number;
  size?: number;
  key?: string;
  tag?: string;
  property?: Record<string, string>;
  batch?: number;
  delayLevel?: number;
  delayMs?: number;
  /** Epoch ms, from --deliver-at. */
  deliverAt?: number;
}

export interface ProducePlan {
  topic: string;
  count: number;
  /** Messages per sendBatch call; 1 sends them one by one. */
  batchSize: number;
  body: Buffer;
  tag?: string;
  keys?: string[];
  properties?: Record<string, string>;
  /** At most one of them: when the broker delivers the messages. */
  delay?: { delayLevel?: number; delayMs?: number; deliverAt?: number };
}

/** Checks `produce`'s options: a message is `--body TEXT` or `--size BYTES` of filler, sent `--count` times. */
export function planProduce(options: ProduceOptions): ProducePlan {
  if ((options.body === undefined) === (options.size === undefined)) {
    throw new CliUsageError('produce needs exactly one of --body TEXT or --size BYTES');
  }
  const count = options.count ?? 1;
  const batchSize = options.batch ?? 1;
  if (batchSize > count) throw new CliUsageError(`--batch (${batchSize}) cannot exceed --count (${count})`);
  const delays = [options.delayLevel, options.delayMs, options.deliverAt].filter((value) => value !== undefined).length;
  if (delays > 1) throw new CliUsageError('produce takes at most one of --delay-level, --delay-ms and --deliver-at');
  return {
    topic: options.topic,
    count,
    batchSize,
    body: options.body !== undefined ? Buffer.from(options.body) : printableFiller(options.size!),
    tag: options.tag,
    keys: options.key !== undefined ? [options.key] : undefined,
    properties: options.property,
    delay: delays === 0 ? undefined : { delayLevel: options.delayLevel, delayMs: options.delayMs, deliverAt: options.deliverAt },
  };
}

/** Random printable bytes, so `consume --print` shows something readable. */
function printableFiller(size: number): Buffer {
  return Buffer.from(randomBytes(Math.ceil((size * 3) / 4) + 3).toString('base64url').slice(0, size));
}
