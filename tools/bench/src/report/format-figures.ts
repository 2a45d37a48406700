/** A count or rate for a table: rounded, with thousands separators (12,345). */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A payload size: `64 B`, `1 KiB`. */
export function payloadSize(bytes: number): string {
  return bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;
}
