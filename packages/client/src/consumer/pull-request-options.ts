export interface PullRequestOptions {
  topic: string;
  queueId: number;
  offset: number;
  /** Default 32. */
  maxCount?: number;
  /** Default 4 MiB. */
  maxBytes?: number;
  /** Long polling: the broker holds the pull up to this long while there is nothing new. Default 0. */
  maxWaitMs?: number;
  /** `*` (default, everything) or `TagA || TagB`; evaluated by the broker's filter plugin. */
  tagExpression?: string;
  /** A SQL92 filter over message properties (`TAGS` is the tag) instead of a tag expression. */
  sqlExpression?: string;
}
