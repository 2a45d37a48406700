/** What the kernel does with a message a consumer settled. */
export type ConsumerOutcome =
  | { action: 'ack' }
  | { action: 'release'; notHere: boolean }
  | { action: 'redeliver'; afterMs: number; notHere: boolean }
  | { action: 'dead-letter'; reason: string };

export type OutcomeType = 'accepted' | 'released' | 'modified' | 'rejected' | 'settled';

interface OutcomeState {
  delivery_failed?: boolean;
  undeliverable_here?: boolean;
  error?: { condition?: unknown; description?: unknown };
}

/**
 * The AMQP outcome a consumer gave a delivery, in kernel terms: accepted → ack; released → make
 * it visible again now, its delivery count unchanged (AMQP 1.0 3.4.4: it MUST NOT be
 * incremented); modified with delivery-failed → again after `modifiedDelayMs` with its delivery
 * count raised (past popMaxDeliveries the retry plugin dead-letters it); modified without → as
 * released; modified with undeliverable-here → either, but never to this link again (other links
 * get it); rejected → the dead-letter queue. Settled without an outcome counts as accepted.
 */
export function consumerOutcomeOf(type: OutcomeType, state: OutcomeState | undefined, modifiedDelayMs: number): ConsumerOutcome {
  switch (type) {
    case 'accepted':
    case 'settled':
      return { action: 'ack' };
    case 'released':
      return { action: 'release', notHere: false };
    case 'modified': {
      const notHere = state?.undeliverable_here === true;
      return state?.delivery_failed ? { action: 'redeliver', afterMs: modifiedDelayMs, notHere } : { action: 'release', notHere };
    }
    case 'rejected': {
      const error = state?.error;
      const reason = [error?.condition, error?.description].filter((part) => typeof part === 'string' && part.length > 0).join(': ');
      return { action: 'dead-letter', reason: reason || 'rejected by an AMQP consumer' };
    }
  }
}
