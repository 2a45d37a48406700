export type WireExpressionType = 'TAG' | 'SQL92';

/** Which messages of a topic a consumer wants: a tag expression or a SQL92 filter over properties. */
export interface WireSubscription {
  expressionType: WireExpressionType;
  /** `*` (all), `TagA || TagB`, or a SQL92 expression. */
  expression: string;
}
