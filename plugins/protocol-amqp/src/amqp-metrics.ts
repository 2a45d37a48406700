import { Counter, Gauge, registerTotalCounter, registerTotalsByLabel, type MetricsRegistry } from '@tessera/kernel';
import type { OutcomeType } from './consumer-outcome';
import type { OpenEndpoints } from './open-endpoints';

/** Why the broker refused or ended a connection: the `reason` label of tessera_amqp_connections_failed_total. */
export const ConnectionFailureReason = {
  /** The first bytes were not an AMQP protocol header at all (HTTP, TLS on the plain port, garbage). */
  NOT_AMQP: 'not_amqp',
  /** An AMQP header Tessera does not speak: AMQP 0-9-1 or 0-10, or no SASL layer while anonymous clients are not allowed. */
  UNSUPPORTED_PROTOCOL: 'unsupported_protocol',
  AUTHENTICATION_FAILED: 'authentication_failed',
  FRAME_TOO_LARGE: 'frame_too_large',
  /** A frame size that cannot hold a frame header, or a frame rhea could not decode. */
  FRAMING_ERROR: 'framing_error',
  IDLE_TIMEOUT: 'idle_timeout',
} as const;
export type ConnectionFailureReason = (typeof ConnectionFailureReason)[keyof typeof ConnectionFailureReason];

/** What the guard in front of each connection tallies: the bytes it reads and writes. */
export interface AmqpTrafficObserver {
  received(bytes: number): void;
  sent(bytes: number): void;
}

type Totals<Key extends string> = Record<Key, number>;
type TransactionEvent = 'declared' | 'committed' | 'rolledBack';

/**
 * The AMQP front's Prometheus metrics (tessera_amqp_*). Everything on the message path (transfers,
 * deliveries, outcomes, transactions, bytes) is totalled in plain numbers the counters read when they
 * are scraped: prom-client hashes the labels and allocates at every increment, which the message
 * path should not pay. Connection events are rare and counted as they happen; the open
 * connections, sessions and links are read from the adapter at scrape time.
 */
export class AmqpMetrics implements AmqpTrafficObserver {
  private readonly connectionsAccepted: Counter;
  private readonly connectionsFailed: Counter;
  private readonly transfers: Totals<'accepted' | 'rejected' | 'transactional'> = { accepted: 0, rejected: 0, transactional: 0 };
  private readonly outcomes: Totals<'accepted' | 'released' | 'modified' | 'rejected'> = { accepted: 0, released: 0, modified: 0, rejected: 0 };
  private readonly deadLetters: Totals<'rejected' | 'expired'> = { rejected: 0, expired: 0 };
  private readonly transactions: Totals<TransactionEvent> = { declared: 0, committed: 0, rolledBack: 0 };
  private readonly counts: Totals<'bytesReceived' | 'bytesSent' | 'delivered' | 'browsed' | 'expired'> = { bytesReceived: 0, bytesSent: 0, delivered: 0, browsed: 0, expired: 0 };

  constructor(registry: MetricsRegistry, openEndpoints: () => OpenEndpoints) {
    const registers = [registry];
    new Gauge({
      name: 'tessera_amqp_connections',
      help: 'AMQP connections open now (open frames exchanged, not closed)',
      registers,
      collect() {
        this.set(openEndpoints().connections);
      },
    });
    new Gauge({
      name: 'tessera_amqp_sessions',
      help: 'AMQP sessions open now',
      registers,
      collect() {
        this.set(openEndpoints().sessions);
      },
    });
    const links = new Gauge({
      name: 'tessera_amqp_links',
      help: "AMQP links open now, by the broker's role: sender (to a consumer), receiver (from a publisher or a transaction controller)",
      labelNames: ['role'],
      registers,
      collect() {
        const open = openEndpoints();
        this.set({ role: 'sender' }, open.senders);
        this.set({ role: 'receiver' }, open.receivers);
      },
    });
    links.set({ role: 'sender' }, 0);
    links.set({ role: 'receiver' }, 0);
    this.connectionsAccepted = new Counter({ name: 'tessera_amqp_connections_accepted_total', help: 'AMQP connections whose open the broker answered', registers });
    this.connectionsFailed = new Counter({
      name: 'tessera_amqp_connections_failed_total',
      help: 'AMQP connections the broker refused or closed because of what the client did or did not send, by reason',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of Object.values(ConnectionFailureReason)) this.connectionsFailed.inc({ reason }, 0);
    const { transfers, outcomes, deadLetters, transactions, counts } = this;
    registerTotalsByLabel(registry, 'tessera_amqp_messages_received_total', 'Transfers received from publishers, by the settlement the broker gave them', 'outcome', () => transfers);
    registerTotalCounter(registry, 'tessera_amqp_messages_delivered_total', 'Messages sent to consumer links (not browsers)', () => counts.delivered);
    registerTotalCounter(registry, 'tessera_amqp_messages_browsed_total', 'Copies of messages sent to browsing links (distribution-mode copy)', () => counts.browsed);
    registerTotalsByLabel(registry, 'tessera_amqp_consumer_outcomes_total', 'Outcomes consumers settled deliveries with, by outcome', 'outcome', () => outcomes);
    registerTotalCounter(registry, 'tessera_amqp_messages_expired_total', 'Messages found expired when a consumer link took them (not sent)', () => counts.expired);
    registerTotalsByLabel(registry, 'tessera_amqp_messages_dead_lettered_total', 'Messages a dead-letter plugin took, by reason', 'reason', () => deadLetters);
    registerTotalCounter(registry, 'tessera_amqp_transactions_declared_total', 'Transactions declared', () => transactions.declared);
    registerTotalCounter(registry, 'tessera_amqp_transactions_committed_total', 'Transactions committed', () => transactions.committed);
    registerTotalCounter(registry, 'tessera_amqp_transactions_rolled_back_total', 'Transactions rolled back', () => transactions.rolledBack);
    registerTotalCounter(registry, 'tessera_amqp_received_bytes_total', 'Bytes read from AMQP connections', () => counts.bytesReceived);
    registerTotalCounter(registry, 'tessera_amqp_sent_bytes_total', 'Bytes written to AMQP connections', () => counts.bytesSent);
  }

  connectionAccepted(): void {
    this.connectionsAccepted.inc();
  }

  connectionFailed(reason: ConnectionFailureReason): void {
    this.connectionsFailed.inc({ reason });
  }

  received(bytes: number): void {
    this.counts.bytesReceived += bytes;
  }

  sent(bytes: number): void {
    this.counts.bytesSent += bytes;
  }

  transferSettled(outcome: 'accepted' | 'rejected' | 'transactional'): void {
    this.transfers[outcome]++;
  }

  delivered(): void {
    this.counts.delivered++;
  }

  browsed(): void {
    this.counts.browsed++;
  }

  /** Settled without an outcome counts as accepted, as the kernel acks it. */
  consumerSettled(type: OutcomeType): void {
    this.outcomes[type === 'settled' ? 'accepted' : type]++;
  }

  expired(count: number): void {
    this.counts.expired += count;
  }

  deadLettered(reason: 'rejected' | 'expired'): void {
    this.deadLetters[reason]++;
  }

  transaction(event: TransactionEvent): void {
    this.transactions[event]++;
  }
}
