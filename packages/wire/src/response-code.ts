/**
 * A response's status. SUCCESS is 0; the others are the kernel's ErrorCode numbers, duplicated
 * here because the SDK must not depend on the kernel. Keep both lists in step.
 */
export enum ResponseCode {
  SUCCESS = 0,
  SYSTEM_ERROR = 1,
  SYSTEM_BUSY = 2,
  REQUEST_CODE_NOT_SUPPORTED = 3,
  BAD_REQUEST = 4,
  MESSAGE_TOO_LARGE = 10,
  TOPIC_NOT_FOUND = 11,
  TOPIC_ALREADY_EXISTS = 12,
  NO_PERMISSION = 13,
  INVALID_TOPIC_NAME = 14,
  INVALID_QUEUE = 15,
  STORE_UNAVAILABLE = 20,
  STORE_FULL = 21,
  FLUSH_TIMEOUT = 22,
  SUBSCRIPTION_INVALID = 30,
  GROUP_NOT_FOUND = 31,
  MESSAGE_NOT_FOUND = 32,
  QUEUE_NOT_OWNED = 33,
  RECEIPT_STALE = 34,
  CONFIG_INVALID = 40,
  SHUTTING_DOWN = 50,
}
