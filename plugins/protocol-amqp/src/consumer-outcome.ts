/** What the kernel does with a message a consumer settled. */
export type ConsumerOutcome =
  | { action: 'ack' }
  | { action: 'redeliver'; afterMs: number }
  | { action: 'dead-letter'; reason: string };

export type OutcomeType = 'accepted' | 'released' | 'modified' | 'rejected' | 'settled';

interface OutcomeState {
  delivery_failed?: boolean;
  error?: { condition?: unknown; description?: unknown };
}

/**
 * The AMQP outcome a consumer gave a delivery, in kernel terms: accepted → ack; released → make
 * it visible again now; modified with delivery-failed → again after `modifiedDelayMs` (its
 * delivery count rises; past popMaxDeliveries the retry plugin dead-letters it); modified
 * without → as released; rejected → the dead-letter queue. Settled without an outcome counts as accepted.
 */
export function consumerOutcomeOf(type: OutcomeType, state: OutcomeState | undefined, modifiedDelayMs: number): ConsumerOutcome {
  switch (type) {
    case 'accepted':
    case 'settled':
      return { action: 'ack' };
    case 'released':
      return { action: 'redeliver', afterMs: 0 };
    case 'modified':
      return { action: 'redeliver', afterMs: state?.delivery_failed ? modifiedDelayMs : 0 };
    case 'rejected': {
      const error = state?.error;
      const reason = [error?.condition, error?.description].filter((part) => typeof part === 'string' && part.length > 0).join(': ');
      return { action: 'dead-letter', reason: reason || 'rejected by an AMQP consumer' };
    }
  }
}
