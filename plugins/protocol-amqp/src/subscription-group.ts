import { createHash } from 'node:crypto';

export const QUEUE_GROUP_PREFIX = '%AMQP%';
export const SUBSCRIPTION_GROUP_PREFIX = '%AMQP-SUB%';
export const TEMPORARY_QUEUE_PREFIX = '%AMQP-TMP%';
/** feature-retry names the dead-letter topic `%DLQ%<group>`: a group longer than this could not have one. */
const MAX_GROUP_LENGTH = 120;

/** The per-message-ack group every consumer of a queue address shares: competing consumers. */
export function queueGroupOf(topic: string): string {
  return QUEUE_GROUP_PREFIX + topic;
}

/**
 * A durable topic subscription's group, named by the client's container id and link name so
 * the same link finds it again after a detach or a restart. Characters a group name cannot
 * hold become `|XX`; a name too long becomes a hash.
 */
export function durableSubscriptionGroupOf(containerId: string, linkName: string): string {
  const readable = SUBSCRIPTION_GROUP_PREFIX + escape(containerId) + '.' + escape(linkName);
  if (readable.length <= MAX_GROUP_LENGTH) return readable;
  return SUBSCRIPTION_GROUP_PREFIX + createHash('sha256').update(`${containerId}\u0000${linkName}`).digest('hex').slice(0, 40);
}

/** `|` followed by no hex digits: a durable subscription's escaped name never starts this way. */
const TEMPORARY_SUBSCRIPTION_PREFIX = `${SUBSCRIPTION_GROUP_PREFIX}|tmp.`;

/** A subscription that lasts as long as its link. */
export function temporarySubscriptionGroupOf(id: string): string {
  return TEMPORARY_SUBSCRIPTION_PREFIX + id;
}

export function isTemporarySubscriptionGroup(group: string): boolean {
  return group.startsWith(TEMPORARY_SUBSCRIPTION_PREFIX);
}

function escape(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(char) ? char : `|${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}
