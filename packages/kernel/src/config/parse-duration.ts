/** What a duration option looks like, for JSON schemas: a positive whole number and a unit. */
export const DURATION_PATTERN = '^[1-9][0-9]{0,9}(ms|s|m|h|d)$';

const DURATION = new RegExp(DURATION_PATTERN);
const MS_PER_UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `5s`, `2m`, `1h`, `3d` to milliseconds; undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number.parseInt(text, 10) * MS_PER_UNIT[match[1]!]! : undefined;
}
