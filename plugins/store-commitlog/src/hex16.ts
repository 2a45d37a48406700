const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
const TWO_POW_32 = 4294967296;

/**
 * A log position as the 16 upper-case hex digits of a message id (the kernel's encodeMessageId
 * writes the same); table-driven because it runs for every appended message.
 */
export function hex16(position: number): string {
  const low = position >>> 0;
  const high = (position - low) / TWO_POW_32;
  return (
    HEX_BYTES[(high >>> 24) & 255]! +
    HEX_BYTES[(high >>> 16) & 255]! +
    HEX_BYTES[(high >>> 8) & 255]! +
    HEX_BYTES[high & 255]! +
    HEX_BYTES[low >>> 24]! +
    HEX_BYTES[(low >>> 16) & 255]! +
    HEX_BYTES[(low >>> 8) & 255]! +
    HEX_BYTES[low & 255]!
  );
}
