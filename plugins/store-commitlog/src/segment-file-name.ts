const DIGITS = 20;

/** A segment or index file is named by the offset it starts at, zero-padded to 20 digits. */
export function segmentFileName(startOffset: number): string {
  return String(startOffset).padStart(DIGITS, '0');
}

export function parseSegmentFileName(name: string): number | undefined {
  if (!/^\d{20}$/.test(name)) return undefined;
  const value = Number(name);
  return Number.isSafeInteger(value) ? value : undefined;
}
