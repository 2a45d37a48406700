import { ErrorCode, TesseraError } from '@tessera/kernel';

/** MQTT 5 PUBACK/PUBREC reason codes (3.4.2.1) a refused publish gets. */
export const PublishRefusalCode = {
  UNSPECIFIED_ERROR: 0x80,
  NOT_AUTHORIZED: 0x87,
  TOPIC_NAME_INVALID: 0x90,
  QUOTA_EXCEEDED: 0x97,
  PAYLOAD_FORMAT_INVALID: 0x99,
} as const;

const CODE_OF_ERROR: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.MESSAGE_TOO_LARGE]: PublishRefusalCode.QUOTA_EXCEEDED,
  [ErrorCode.STORE_FULL]: PublishRefusalCode.QUOTA_EXCEEDED,
  [ErrorCode.NO_PERMISSION]: PublishRefusalCode.NOT_AUTHORIZED,
  [ErrorCode.INVALID_TOPIC_NAME]: PublishRefusalCode.TOPIC_NAME_INVALID,
  [ErrorCode.TOPIC_NOT_FOUND]: PublishRefusalCode.TOPIC_NAME_INVALID,
};

/**
 * A PUBLISH the broker did not take (aedes' authorizePublish failed with it). A 3.1.1 client loses
 * its connection, having no negative ack; the MQTT 5 layer answers a v5 client's QoS 1/2 publish
 * with PUBACK/PUBREC `reasonCode` instead, and drops a QoS 0 one.
 */
export class PublishRefusal extends Error {
  constructor(
    readonly reasonCode: number,
    message: string,
    /** What the negative ack answers. */
    readonly packet: { messageId?: number; qos: number },
  ) {
    super(message);
    this.name = 'PublishRefusal';
  }

  /** The refusal of `packet` for `error` (a refusal already, a TesseraError from the kernel, or anything else: 0x80). */
  static of(error: unknown, packet: { messageId?: number; qos: number }): PublishRefusal {
    if (error instanceof PublishRefusal) return error;
    const message = error instanceof Error ? error.message : String(error);
    const code = TesseraError.is(error) ? CODE_OF_ERROR[error.code] : undefined;
    return new PublishRefusal(code ?? PublishRefusalCode.UNSPECIFIED_ERROR, message, packet);
  }
}
