import type { WireSubscription } from '@tessera/wire';
import { TesseraClientError } from '../errors/tessera-client-error';

/**
 * The subscription a consumer sends with its pulls or receives: none for `*` (everything), a TAG
 * subscription for `TagA || TagB`, or a SQL92 one. The broker's filter plugin parses it and refuses
 * a bad one (InvalidSubscriptionError). A SQL expression with a tag expression other than `*` is
 * refused here (BAD_ARGUMENT): filter on `TAGS` inside the SQL instead.
 */
export function wireSubscriptionFor(tagExpression: string | undefined, sqlExpression: string | undefined): WireSubscription | undefined {
  const tags = tagExpression?.trim() ?? '';
  const everyTag = tags === '' || tags === '*';
  if (sqlExpression !== undefined) {
    if (!everyTag) {
      throw new TesseraClientError('BAD_ARGUMENT', `give a tagExpression or a sqlExpression, not both (filter on TAGS in the SQL instead); got "${tagExpression}" and "${sqlExpression}"`);
    }
    return { expressionType: 'SQL92', expression: sqlExpression };
  }
  return everyTag ? undefined : { expressionType: 'TAG', expression: tags };
}
