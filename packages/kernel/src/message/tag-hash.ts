/**
 * 32-bit FNV-1a over the tag's UTF-16 code units. Consume-queue entries carry it so a tag
 * subscription can skip non-matching messages without reading the log; the exact tag is
 * checked after, since different tags may share a hash. 0 means "no tag".
 */
export function tagHash(tag: string | undefined): number {
  if (!tag) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) {
    hash ^= tag.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) || 1;
}
