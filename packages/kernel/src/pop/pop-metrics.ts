import { Counter } from '../metrics/metric-types';
import type { MetricsRegistry } from '../metrics/metrics-registry';

/** Why a lease ended without an ack: the `reason` label of tessera_pop_leases_ended_total. */
export type LeaseEnd = 'nacked' | 'expired' | 'released';

/**
 * Per-message-ack (POP) consumption as rates, as RabbitMQ reports deliver, redeliver and ack:
 * counted once per call, not per message, where a call settles many.
 */
export class PopMetrics {
  private readonly deliveries: Counter;
  private readonly redeliveries: Counter;
  private readonly acks: Counter;
  private readonly ended: Record<LeaseEnd, Counter.Internal>;
  private readonly handedOver: Record<'taken' | 'kept', Counter.Internal>;

  constructor(registry: MetricsRegistry) {
    const registers = [registry];
    this.deliveries = new Counter({ name: 'tessera_pop_deliveries_total', help: 'Messages leased to per-message-ack consumers, redeliveries included', registers });
    this.redeliveries = new Counter({ name: 'tessera_pop_redeliveries_total', help: 'Leases of messages delivered before (nacked, expired or released with their count raised)', registers });
    this.acks = new Counter({ name: 'tessera_pop_acks_total', help: 'Leased messages acked', registers });
    const ended = new Counter({ name: 'tessera_pop_leases_ended_total', help: 'Leases ended without an ack, by reason', labelNames: ['reason'], registers });
    this.ended = { nacked: ended.labels('nacked'), expired: ended.labels('expired'), released: ended.labels('released') };
    const handedOver = new Counter({
      name: 'tessera_pop_handed_over_total',
      help: 'Messages past popMaxDeliveries offered to the consume-failure hooks: taken (e.g. into a DLQ) or kept redeliverable',
      labelNames: ['result'],
      registers,
    });
    this.handedOver = { taken: handedOver.labels('taken'), kept: handedOver.labels('kept') };
  }

  leased(count: number, redeliveries: number): void {
    if (count > 0) this.deliveries.inc(count);
    if (redeliveries > 0) this.redeliveries.inc(redeliveries);
  }

  acked(count: number): void {
    if (count > 0) this.acks.inc(count);
  }

  leaseEnded(reason: LeaseEnd): void {
    this.ended[reason].inc();
  }

  offeredToHooks(taken: boolean): void {
    this.handedOver[taken ? 'taken' : 'kept'].inc();
  }
}
