/** The MQTT topic level a Tessera topic name stands for (the reverse of escapeTopicLevel). */
export function unescapeTopicLevel(name: string): string {
  if (name === '|') return '';
  if (!name.includes('|')) return name;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; ) {
    if (name[i] === '|' && /^[0-9A-F]{2}$/.test(name.slice(i + 1, i + 3))) {
      bytes.push(parseInt(name.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(name[i]!, 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
