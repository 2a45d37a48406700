const COMMIT_LOG_OFFSET_HEX_DIGITS = 16;

/**
 * A message id names where the record lives: `<storeId hex8><commitLogOffset hex16>`, like
 * RocketMQ's offset message id. Looking a message up by id is one positioned read, no index.
 */
export function encodeMessageId(storeId: number, commitLogOffset: number): string {
  return (
    (storeId >>> 0).toString(16).padStart(8, '0') +
    commitLogOffset.toString(16).padStart(COMMIT_LOG_OFFSET_HEX_DIGITS, '0')
  ).toUpperCase();
}

export function decodeMessageId(msgId: string): { storeId: number; commitLogOffset: number } | undefined {
  if (!/^[0-9A-Fa-f]{24}$/.test(msgId)) return undefined;
  const storeId = Number.parseInt(msgId.slice(0, 8), 16);
  const commitLogOffset = Number.parseInt(msgId.slice(8), 16);
  if (!Number.isSafeInteger(commitLogOffset)) return undefined;
  return { storeId, commitLogOffset };
}
