export type SubscriptionExpressionType = 'TAG' | 'SQL92';

/** What a consumer group reads from a topic, and which messages it wants. */
export interface Subscription {
  group: string;
  topic: string;
  expressionType: SubscriptionExpressionType;
  /** `*` (all), `TagA || TagB`, or a SQL92 expression over properties. */
  expression: string;
}
