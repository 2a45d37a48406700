export interface ReceivedMessage {
  msgId: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  body: Buffer;
  tag?: string;
  keys: string[];
  properties: Record<string, string>;
  bornTimestamp: number;
  storeTimestamp: number;
  reconsumeTimes: number;
}
