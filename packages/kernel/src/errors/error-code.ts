/** Stable error codes: the native protocol carries them, SDKs map them to typed errors. */
export enum ErrorCode {
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
  /** A commit or release by a member that does not own the queue (any more). */
  QUEUE_NOT_OWNED = 33,
  /** A receipt of a lease that expired or was already settled. */
  RECEIPT_STALE = 34,
  CONFIG_INVALID = 40,
  SHUTTING_DOWN = 50,
}
