import type { StoredMessage } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';

/** The id that names a scheduled message for good: its first parked copy's. */
export function parkedIdOf(parked: StoredMessage): string {
  return parked.properties[DelayTopic.PARKED_ID] ?? parked.msgId;
}
