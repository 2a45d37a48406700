const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
const TWO_POW_32 = 4294967296;

/**
 * A message id names where the record lives: `<storeId hex8><commitLogOffset hex16>`, like
 * RocketMQ's offset message id. Looking a message up by id is one positioned read, no index.
 * Table-driven: stores call it for every appended message.
 */
export function encodeMessageId(storeId: number, commitLogOffset: number): string {
  const low = commitLogOffset >>> 0;
  const high = (commitLogOffset - low) / TWO_POW_32;
  return hex8(storeId >>> 0) + hex8(high) + hex8(low);
}

export function decodeMessageId(msgId: string): { storeId: number; commitLogOffset: number } | undefined {
  if (!/^[0-9A-Fa-f]{24}$/.test(msgId)) return undefined;
  const storeId = Number.parseInt(msgId.slice(0, 8), 16);
  const commitLogOffset = Number.parseInt(msgId.slice(8), 16);
  if (!Number.isSafeInteger(commitLogOffset)) return undefined;
  return { storeId, commitLogOffset };
}

function hex8(value: number): string {
  return HEX_BYTES[value >>> 24]! + HEX_BYTES[(value >>> 16) & 255]! + HEX_BYTES[(value >>> 8) & 255]! + HEX_BYTES[value & 255]!;
}
