export interface SendResult {
  msgId: string;
  topic: string;
  queueId: number;
  queueOffset: number;
}
