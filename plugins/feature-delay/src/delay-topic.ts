/** Where scheduled messages wait, and the properties this plugin keeps on them. */
export const DelayTopic = {
  NAME: '%SYS%DELAY',
  QUEUE_ID: 0,
  /** When the parked message is due (ms since epoch). */
  DUE_AT: '__DELAY_DUE_AT',
  /** Present when the message is parked again at this time, before it is due (see rollAfterMs). */
  REPARK_AT: '__DELAY_REPARK_AT',
  /** On a copy parked again: the id of the first parked copy, which names the message for good. */
  PARKED_ID: '__DELAY_PARKED_ID',
  /** A REAL_TOPIC / REAL_QUEUE_ID the message carried before it was parked (a retry copy's), given back on delivery. */
  OUTER_REAL_TOPIC: '__DELAY_OUTER_REAL_TOPIC',
  OUTER_REAL_QUEUE_ID: '__DELAY_OUTER_REAL_QUEUE_ID',
  /** The key a delivered message (and a copy parked again) carries, so a restart can tell it was already written. */
  deliveryKey(parkedId: string): string {
    return `DELAY:${parkedId}`;
  },
} as const;
