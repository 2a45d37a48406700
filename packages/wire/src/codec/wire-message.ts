/** A message as a producer sends it; on decode `keys` and `properties` are always present. */
export interface WireMessage {
  topic: string;
  /** -1 on the wire when absent: the broker picks the queue. */
  queueId?: number;
  body: Buffer;
  tag?: string;
  keys?: readonly string[];
  properties?: Readonly<Record<string, string>>;
  bornTimestamp: number;
  flag: number;
  reconsumeTimes: number;
}
