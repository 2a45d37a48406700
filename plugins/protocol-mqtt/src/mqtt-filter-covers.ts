/**
 * Whether every topic `requested` (a subscription filter) can match is also matched by `allowed`
 * (an ACL filter): a wildcard in the request needs the same or a wider wildcard in the ACL.
 */
export function mqttFilterCovers(allowed: string, requested: string): boolean {
  if (requested.startsWith('$') && (allowed.startsWith('+') || allowed.startsWith('#'))) return false;
  const allowedLevels = allowed.split('/');
  const requestedLevels = requested.split('/');
  for (let i = 0; i < allowedLevels.length; i++) {
    const level = allowedLevels[i]!;
    if (level === '#') return true;
    if (i >= requestedLevels.length) return false;
    const wanted = requestedLevels[i]!;
    if (wanted === '#') return false;
    if (level !== '+' && level !== wanted) return false;
  }
  return allowedLevels.length === requestedLevels.length;
}
