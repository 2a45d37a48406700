import { ErrorCode, SystemProperties, TesseraError, type AppendMessage } from '@tessera/kernel';
import { HALF_TOPIC, TRANSACTION_QUEUE_ID } from './transaction-topics';

const MAX_TRANSACTION_ID_LENGTH = 256;

/** Whether a producer marked the message as the half of a transaction. */
export function isHalfMessage(message: AppendMessage): boolean {
  return message.properties?.[SystemProperties.TRANSACTION_PREPARED] === 'true';
}

/**
 * Redirects a half message, in place, to the half topic: consumers cannot see it there. Its real
 * topic and queue and its producer group go into its properties; the rest stays as sent.
 */
export function parkHalfMessage(message: AppendMessage, contextProducerGroup: string | undefined): void {
  const properties = message.properties!;
  const transactionId = properties[SystemProperties.TRANSACTION_ID];
  const producerGroup = properties[SystemProperties.PRODUCER_GROUP] || contextProducerGroup;
  if (!transactionId || transactionId.length > MAX_TRANSACTION_ID_LENGTH) {
    throw new TesseraError(
      ErrorCode.BAD_REQUEST,
      `a half message needs a transaction id of 1 to ${MAX_TRANSACTION_ID_LENGTH} characters in ${SystemProperties.TRANSACTION_ID}`,
    );
  }
  if (!producerGroup) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `a half message needs a producer group (${SystemProperties.PRODUCER_GROUP} or the producer's)`);
  }
  message.properties = {
    ...properties,
    [SystemProperties.PRODUCER_GROUP]: producerGroup,
    [SystemProperties.REAL_TOPIC]: message.topic,
    [SystemProperties.REAL_QUEUE_ID]: String(message.queueId),
  };
  message.topic = HALF_TOPIC;
  message.queueId = TRANSACTION_QUEUE_ID;
}
