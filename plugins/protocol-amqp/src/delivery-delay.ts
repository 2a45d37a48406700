import { SystemProperties } from '@tessera/kernel';
import { AmqpRefusal } from './amqp-refusal';

/** Message annotations asking for delayed delivery (the Artemis and Azure Service Bus conventions). */
export const DeliveryDelayAnnotation = {
  /** Deliver at this time: a timestamp, or ms since the epoch as a number. */
  DELIVERY_TIME: 'x-opt-delivery-time',
  /** Azure Service Bus's name for the same. */
  SCHEDULED_ENQUEUE_TIME: 'x-opt-scheduled-enqueue-time',
  /** Deliver this many ms after the broker stored the message. */
  DELIVERY_DELAY: 'x-opt-delivery-delay',
} as const;

/**
 * The kernel's delay properties (feature-delay parks the message until then) for a message's
 * annotations: `__DELIVER_AT` for a delivery time, `__DELAY_MS` for a delay; none for neither or
 * a zero delay. Throws AmqpRefusal `amqp:invalid-field` for a value that is not a time or a
 * whole number of ms, or for a message asking for both.
 */
export function deliveryDelayOf(annotations: Record<string, unknown> | undefined): Record<string, string> {
  if (!annotations) return {};
  const times = [DeliveryDelayAnnotation.DELIVERY_TIME, DeliveryDelayAnnotation.SCHEDULED_ENQUEUE_TIME].filter((name) => annotations[name] != null);
  const delayed = annotations[DeliveryDelayAnnotation.DELIVERY_DELAY] != null;
  if (times.length + (delayed ? 1 : 0) > 1) {
    throw new AmqpRefusal('amqp:invalid-field', `a message may ask for one of ${Object.values(DeliveryDelayAnnotation).join(', ')}, not several`);
  }
  if (times.length === 1) {
    const name = times[0]!;
    const value = annotations[name];
    const at = value instanceof Date ? value.getTime() : value;
    return { [SystemProperties.DELIVER_AT]: String(wholeMs(name, at)) };
  }
  if (delayed) {
    const ms = wholeMs(DeliveryDelayAnnotation.DELIVERY_DELAY, annotations[DeliveryDelayAnnotation.DELIVERY_DELAY]);
    return ms > 0 ? { [SystemProperties.DELAY_MS]: String(ms) } : {};
  }
  return {};
}

function wholeMs(name: string, value: unknown): number {
  const ms = typeof value === 'bigint' ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) {
    throw new AmqpRefusal('amqp:invalid-field', `message annotation ${name} must be a timestamp or a whole number of ms, not ${String(value)}`);
  }
  return ms;
}
