import type { SubscriptionExpressionType } from '@tessera/kernel';
import { AmqpRefusal } from './amqp-refusal';

/** A JMS selector (AMQP filters registry), evaluated as the kernel's SQL92 filter. */
const SELECTOR_DESCRIPTORS = new Set<unknown>(['apache.org:selector-filter:string', 0x0000468c00000004]);
/** Qpid's direct-exchange binding: the message's subject (its Tessera tag) must equal it. */
const DIRECT_BINDING_DESCRIPTORS = new Set<unknown>(['apache.org:legacy-amqp-direct-binding:string', 0x0000468c00000000]);
/** Tessera's tag filter: a filter-set entry with this key and a string value, a tag expression (`TagA || TagB`). */
export const TAG_FILTER_KEY = 'x-opt-tag';

export interface SourceFilter {
  expressionType: SubscriptionExpressionType;
  expression: string;
  /** The selector as given: validated alone, so an error's position points into it. */
  selector?: string;
  /** The entries applied, as received: the reply's source carries them, and only them. */
  applied: Record<string, unknown>;
}

interface FilterValue {
  descriptor?: { value?: unknown };
  value?: unknown;
}

/**
 * The broker-side filter a receiving link's source asks for: a JMS selector (SQL92), a tag
 * (direct binding or `x-opt-tag`), or both (one SQL92 expression: the selector AND the tag).
 * Entries of other kinds are not applied and left out of the reply, as AMQP asks. Undefined when
 * nothing applies. Throws AmqpRefusal `amqp:invalid-field` for a filter of a known kind that is not a string.
 */
export function sourceFilterOf(filterSet: Record<string, unknown> | undefined | null): SourceFilter | undefined {
  if (!filterSet || typeof filterSet !== 'object') return undefined;
  const applied: Record<string, unknown> = {};
  let selector: string | undefined;
  let tags: string[] | undefined;
  for (const [key, entry] of Object.entries(filterSet)) {
    const described = entry as FilterValue | null;
    const descriptor = described?.descriptor?.value;
    if (descriptor !== undefined && SELECTOR_DESCRIPTORS.has(descriptor)) {
      const text = stringOf(key, described!.value).trim();
      if (text.length === 0) continue;
      selector = text;
    } else if (descriptor !== undefined && DIRECT_BINDING_DESCRIPTORS.has(descriptor)) {
      tags = [stringOf(key, described!.value)];
    } else if (key === TAG_FILTER_KEY && descriptor === undefined) {
      const expression = stringOf(key, entry).trim();
      if (expression === '' || expression === '*') continue;
      tags = expression.split('||').map((tag) => tag.trim());
      if (tags.some((tag) => tag.length === 0 || tag === '*')) {
        throw new AmqpRefusal('amqp:invalid-field', `filter "${key}": tag expression "${expression}" has an empty alternative or a "*" among tags`);
      }
    } else {
      continue;
    }
    applied[key] = entry;
  }
  if (selector === undefined && tags === undefined) return undefined;
  if (selector === undefined) return { expressionType: 'TAG', expression: tags!.join(' || '), applied };
  if (tags === undefined) return { expressionType: 'SQL92', expression: selector, selector, applied };
  const tagList = tags.map((tag) => `'${tag.replaceAll("'", "''")}'`).join(', ');
  return { expressionType: 'SQL92', expression: `(${selector}) AND (TAGS IN (${tagList}))`, selector, applied };
}

function stringOf(key: string, value: unknown): string {
  if (typeof value !== 'string') throw new AmqpRefusal('amqp:invalid-field', `filter "${key}" must be a string`);
  return value;
}
