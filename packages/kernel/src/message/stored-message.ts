/** A message as the log holds it: the producer's fields plus where and when it was stored. */
export interface StoredMessage {
  /** Unique id derived from the message's position in the log (see message-id.ts). */
  msgId: string;
  topic: string;
  queueId: number;
  /** Position in its topic-queue: 0, 1, 2, ... without gaps. */
  queueOffset: number;
  /** Byte position of the record in the commitlog (or the engine's equivalent). */
  commitLogOffset: number;
  /** Size of the stored record in bytes. */
  storeSize: number;
  body: Buffer;
  tag?: string;
  keys: readonly string[];
  properties: Readonly<Record<string, string>>;
  bornTimestamp: number;
  storeTimestamp: number;
  flag: number;
  reconsumeTimes: number;
}
