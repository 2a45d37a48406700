export interface SimpleConsumerOptions {
  /** `host:port` of the broker; default 127.0.0.1:10911. */
  server?: string;
  group: string;
  topic: string;
  clientId?: string;
  /** How long a received message stays invisible to other consumers unless acked; default 30000. */
  invisibleMs?: number;
  /** How long the broker holds a receive when nothing is visible (long polling); default 10000. */
  awaitDurationMs?: number;
  /** `*` (default, everything) or `TagA || TagB`; filtered by the broker's filter plugin. */
  tagExpression?: string;
  /** A SQL92 filter over message properties (`TAGS` is the tag) instead of a tag expression. */
  sqlExpression?: string;
  /** Body bytes per receive; at least one message is returned when one is visible. Default 4 MiB. */
  maxBytes?: number;
}
