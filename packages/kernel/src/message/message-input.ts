/** A message as a producer hands it to the kernel, whatever protocol it arrived on. */
export interface MessageInput {
  topic: string;
  body: Buffer;
  /** One tag per message (RocketMQ style); consume queues keep its hash for broker-side filtering. */
  tag?: string;
  /** Business keys, indexed for lookup by key. */
  keys?: readonly string[];
  /** Free-form string properties (MQTT topic, AMQP annotations, user properties...). */
  properties?: Readonly<Record<string, string>>;
  /** When the producer created the message (ms since epoch); the broker's clock if absent. */
  bornTimestamp?: number;
  /** Producer-chosen queue; the kernel picks one when absent. */
  queueId?: number;
  /** Opaque bits for feature plugins (transaction state, delay, ...). */
  flag?: number;
  /** How many times this message was handed back for reconsumption (retry topics). */
  reconsumeTimes?: number;
}
