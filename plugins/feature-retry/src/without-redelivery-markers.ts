import { SystemProperties } from '@tessera/kernel';

/** What a retry or dead-letter copy carries about its schedule and origin, and what feature-delay acts on. */
const REDELIVERY_MARKERS: ReadonlySet<string> = new Set([
  SystemProperties.DELAY_LEVEL,
  SystemProperties.DELIVER_AT,
  SystemProperties.DELAY_MS,
  SystemProperties.REAL_TOPIC,
  SystemProperties.REAL_QUEUE_ID,
  SystemProperties.ORIGIN_MSG_ID,
  SystemProperties.FAILURE_COUNT,
  SystemProperties.FAILURE_REASON,
]);

/** A message's properties without the retry, dead-letter and scheduling markers: what its producer set. */
export function withoutRedeliveryMarkers(properties: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties)) if (!REDELIVERY_MARKERS.has(name)) kept[name] = value;
  return kept;
}
