const KEPT = /^[A-Za-z0-9_.-]$/;

/**
 * Turns one MQTT topic level into a Tessera topic name: characters a Tessera name may not
 * hold become `|XX` per UTF-8 byte (`|` and `%` included, so the result never looks like a
 * system topic), and the empty level becomes a lone `|`. Reversed by unescapeTopicLevel.
 */
export function escapeTopicLevel(level: string): string {
  if (level === '') return '|';
  let escaped = '';
  for (const char of level) {
    if (KEPT.test(char)) {
      escaped += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) escaped += `|${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}
