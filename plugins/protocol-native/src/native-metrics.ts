import { Counter, Gauge, Histogram, LATENCY_BUCKETS_SECONDS, registerTotalCounter, registerTotalsByLabel, type MetricsRegistry } from '@tessera/kernel';
import { RequestCode, ResponseCode } from '@tessera/wire';

/** Why a connection was closed for what it sent: the `reason` label of tessera_native_bad_input_closes_total. */
export const BadInputReason = {
  FRAME_TOO_LARGE: 'frame_too_large',
  MALFORMED_FRAME: 'malformed_frame',
} as const;
export type BadInputReason = (typeof BadInputReason)[keyof typeof BadInputReason];

const numericValues = (enumObject: object) => Object.values(enumObject).filter((value): value is number => typeof value === 'number');

/** Request codes index the tallies; every code the wire package does not name shares the last slot. */
const UNSUPPORTED_CODE_SLOT = Math.max(...numericValues(RequestCode)) + 1;
const UNSUPPORTED_CODE_LABEL = 'unsupported';
const ERROR_STATUSES = numericValues(ResponseCode).filter((status) => status !== ResponseCode.SUCCESS);

function requestCodeSlot(code: number): number {
  return code >= 0 && code < UNSUPPORTED_CODE_SLOT && RequestCode[code] !== undefined ? code : UNSUPPORTED_CODE_SLOT;
}

function requestCodeLabel(slot: number): string {
  return slot === UNSUPPORTED_CODE_SLOT ? UNSUPPORTED_CODE_LABEL : RequestCode[slot]!;
}

/**
 * The native protocol front's Prometheus metrics (tessera_native_*). What happens per request or per
 * socket read and write (requests and error responses by code, bytes) is totalled in plain numbers
 * indexed by code, which the counters read when they are scraped: prom-client hashes the labels at
 * every increment. Durations go to prom-client's histogram, one observation per request (a few
 * hundred ns; a request carries a batch). Connections are counted as they happen.
 */
export class NativeMetrics {
  private readonly connectionsAccepted: Counter;
  private readonly badInputCloses: Counter;
  private readonly requestDurations: Histogram;
  /** The histogram's child per request code slot, resolved on first use. */
  private readonly durationBySlot: Array<Histogram.Internal<string> | undefined> = [];
  /** Running totals, by request code slot and by response status: the counters read them at scrape. */
  private readonly requests = new Float64Array(UNSUPPORTED_CODE_SLOT + 1);
  private readonly errorResponses = new Float64Array(Math.max(...ERROR_STATUSES) + 1);
  private bytesReceived = 0;
  private bytesSent = 0;

  /** `openConnections` is read at scrape. */
  constructor(registry: MetricsRegistry, openConnections: () => number) {
    const registers = [registry];
    new Gauge({
      name: 'tessera_native_open_connections',
      help: 'Native protocol connections open now',
      registers,
      collect() {
        this.set(openConnections());
      },
    });
    this.connectionsAccepted = new Counter({ name: 'tessera_native_connections_total', help: 'Native protocol connections accepted', registers });
    this.badInputCloses = new Counter({
      name: 'tessera_native_bad_input_closes_total',
      help: 'Native protocol connections closed because their bytes broke the framing, by reason',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of Object.values(BadInputReason)) this.badInputCloses.inc({ reason }, 0);

    const { requests, errorResponses } = this;
    const requestCodeSlots = [...numericValues(RequestCode), UNSUPPORTED_CODE_SLOT];
    registerTotalsByLabel(registry, 'tessera_native_requests_total', 'Native protocol requests received, by request code', 'code', () =>
      Object.fromEntries(requestCodeSlots.map((slot) => [requestCodeLabel(slot), requests[slot]!])),
    );
    registerTotalsByLabel(registry, 'tessera_native_error_responses_total', 'Native protocol error responses sent, by response status', 'status', () =>
      Object.fromEntries(ERROR_STATUSES.map((status) => [ResponseCode[status]!, errorResponses[status]!])),
    );

    this.requestDurations = new Histogram({
      name: 'tessera_native_request_duration_seconds',
      help: 'Native protocol requests from their arrival to their response (long polls include their wait), by request code',
      labelNames: ['code'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });

    registerTotalCounter(registry, 'tessera_native_received_bytes_total', 'Bytes read from native protocol connections', () => this.bytesReceived);
    registerTotalCounter(registry, 'tessera_native_sent_bytes_total', 'Bytes written to native protocol connections', () => this.bytesSent);
  }

  connectionAccepted(): void {
    this.connectionsAccepted.inc();
  }

  closedForBadInput(reason: BadInputReason): void {
    this.badInputCloses.inc({ reason });
  }

  requestReceived(code: number): void {
    this.requests[requestCodeSlot(code)]!++;
  }

  /** A served request (a code with a handler) finished; `startedAtMs` is its `performance.now()` on arrival. */
  requestFinished(code: number, startedAtMs: number): void {
    const slot = requestCodeSlot(code);
    const duration = (this.durationBySlot[slot] ??= this.requestDurations.labels(requestCodeLabel(slot)));
    duration.observe((performance.now() - startedAtMs) / 1000);
  }

  errorResponse(status: ResponseCode): void {
    this.errorResponses[status]!++;
  }

  received(bytes: number): void {
    this.bytesReceived += bytes;
  }

  sent(bytes: number): void {
    this.bytesSent += bytes;
  }
}
