import { Counter, Histogram, LATENCY_BUCKETS_SECONDS, type MetricsRegistry } from '@tessera/kernel';

const RECORDS_PER_WRITE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

/** What the write path reports: how long the disk makes acks wait, and how well group commit batches. */
export class CommitLogMetrics {
  readonly fdatasyncSeconds: Histogram;
  readonly recordsPerWrite: Histogram;
  readonly bytesWritten: Counter;

  constructor(registry: MetricsRegistry) {
    this.fdatasyncSeconds = new Histogram({
      name: 'tessera_log_fdatasync_duration_seconds',
      help: 'Duration of each commitlog fdatasync (under SYNC every ack waits for one)',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.recordsPerWrite = new Histogram({
      name: 'tessera_log_records_per_write',
      help: 'Records in each batch written with one writev (and, under SYNC, made durable with one fdatasync)',
      buckets: RECORDS_PER_WRITE_BUCKETS,
      registers: [registry],
    });
    this.bytesWritten = new Counter({ name: 'tessera_log_written_bytes_total', help: 'Bytes written to the commitlog', registers: [registry] });
  }
}
