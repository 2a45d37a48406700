/** A message to send. A string body is sent as UTF-8. */
export interface Message {
  topic: string;
  body: Buffer | string;
  tag?: string;
  keys?: string[];
  properties?: Record<string, string>;
  /** Send to this queue; otherwise the producer's queue selector picks one. */
  queueId?: number;
}
