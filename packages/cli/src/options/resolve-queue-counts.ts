import { CliUsageError } from './cli-usage-error';

export interface QueueCountOptions {
  queues?: number;
  writeQueues?: number;
  readQueues?: number;
}

export interface QueueCounts {
  writeQueueCount?: number;
  readQueueCount?: number;
}

/** `--queues N` sets both counts; `--write-queues`/`--read-queues` set them apart, not mixed with it. */
export function resolveQueueCounts(options: QueueCountOptions): QueueCounts {
  if (options.queues !== undefined) {
    if (options.writeQueues !== undefined || options.readQueues !== undefined) {
      throw new CliUsageError('use either --queues or --write-queues/--read-queues, not both');
    }
    return { writeQueueCount: options.queues, readQueueCount: options.queues };
  }
  const counts: QueueCounts = {};
  if (options.writeQueues !== undefined) counts.writeQueueCount = options.writeQueues;
  if (options.readQueues !== undefined) counts.readQueueCount = options.readQueues;
  return counts;
}
