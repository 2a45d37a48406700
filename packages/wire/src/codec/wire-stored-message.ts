/** A message as the broker returns it: the producer's fields plus where and when it was stored. */
export interface WireStoredMessage {
  msgId: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeTimestamp: number;
  bornTimestamp: number;
  body: Buffer;
  tag?: string;
  keys: readonly string[];
  properties: Readonly<Record<string, string>>;
  flag: number;
  reconsumeTimes: number;
}
