import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import type { MessageHooks } from './message-hooks';
import type { Subscription } from './subscription';
import type { ReadFilter } from '../storage/storage-engine';

/**
 * The broker-side filter for a subscription, from the first hook that builds one. Undefined when
 * the subscription takes everything; TesseraError(SUBSCRIPTION_INVALID) when it filters but no
 * loaded plugin can evaluate it.
 */
export function readFilterFor(hooks: readonly MessageHooks[], subscription: Subscription): ReadFilter | undefined {
  for (const hook of hooks) {
    const filter = hook.createReadFilter?.(subscription);
    if (filter) return filter;
  }
  const expression = subscription.expression.trim();
  if (subscription.expressionType === 'TAG' && expression !== '*' && expression !== '') {
    throw new TesseraError(
      ErrorCode.SUBSCRIPTION_INVALID,
      `no filter plugin is loaded to evaluate ${subscription.expressionType} expression "${subscription.expression}"`,
    );
  }
  if (subscription.expressionType === 'SQL92') {
    throw new TesseraError(ErrorCode.SUBSCRIPTION_INVALID, 'no filter plugin is loaded to evaluate SQL92 subscriptions');
  }
  return undefined;
}
