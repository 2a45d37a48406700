import { ErrorCode, TesseraError, type MessageHooks, type ReadFilter, type Subscription } from '@tessera/kernel';
import type { FeatureFilterOptions } from './feature-filter-options';
import { LruCache } from './lru-cache';
import { sqlReadFilter } from './sql/sql-read-filter';
import { tagReadFilter } from './tag/tag-read-filter';

/** Stands for "takes everything" in the cache, where undefined means "not cached". */
const NO_FILTER: ReadFilter = {};

/**
 * Builds the broker-side filter of tag and SQL92 subscriptions. The kernel asks on every pull, so
 * each expression is parsed once and its filter cached; a refused expression is not cached (it
 * costs its sender, not others).
 */
export class FilterHooks implements MessageHooks {
  readonly name = 'feature-filter';
  private readonly filters: LruCache<string, ReadFilter>;

  constructor(private readonly options: FeatureFilterOptions) {
    this.filters = new LruCache(options.cacheSize);
  }

  createReadFilter(subscription: Subscription): ReadFilter | undefined {
    const { expressionType, expression } = subscription;
    const key = `${expressionType}:${expression}`;
    let filter = this.filters.get(key);
    if (filter === undefined) {
      filter = this.build(subscription) ?? NO_FILTER;
      this.filters.set(key, filter);
    }
    return filter === NO_FILTER ? undefined : filter;
  }

  private build({ expressionType, expression }: Subscription): ReadFilter | undefined {
    if (expression.length > this.options.maxExpressionLength) {
      throw new TesseraError(
        ErrorCode.SUBSCRIPTION_INVALID,
        `${expressionType} expression is ${expression.length} characters long; at most ${this.options.maxExpressionLength} are accepted`,
      );
    }
    switch (expressionType) {
      case 'TAG':
        return tagReadFilter(expression);
      case 'SQL92':
        return sqlReadFilter(expression);
      default:
        throw new TesseraError(ErrorCode.SUBSCRIPTION_INVALID, `unknown subscription expression type "${String(expressionType)}"`);
    }
  }
}
