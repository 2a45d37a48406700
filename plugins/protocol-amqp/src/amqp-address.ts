import { MAX_TOPIC_NAME_LENGTH, TOPIC_NAME_PATTERN } from '@tessera/kernel';
import type { AmqpProtocolOptions } from './amqp-protocol-options';

/** What an AMQP address names: a queue (anycast, competing consumers) or a topic (multicast), both Tessera topics. */
export interface AmqpAddress {
  kind: 'queue' | 'topic';
  topic: string;
}

/** Why an address could not be parsed, worded for the client. */
export class AmqpAddressError extends Error {}

/**
 * `topic://orders` and `/topics/orders` (the topic prefixes) name topic `orders`, multicast;
 * `/queues/orders`, `queue://orders` (the queue prefixes) and plain `orders` name it as a queue.
 */
export function parseAmqpAddress(address: string, prefixes: Pick<AmqpProtocolOptions, 'queuePrefixes' | 'topicPrefixes'>): AmqpAddress {
  for (const prefix of prefixes.topicPrefixes) {
    if (address.startsWith(prefix)) return { kind: 'topic', topic: validName(address.slice(prefix.length), address) };
  }
  for (const prefix of prefixes.queuePrefixes) {
    if (address.startsWith(prefix)) return { kind: 'queue', topic: validName(address.slice(prefix.length), address) };
  }
  return { kind: 'queue', topic: validName(address, address) };
}

function validName(name: string, address: string): string {
  if (name.length === 0 || name.length > MAX_TOPIC_NAME_LENGTH || !TOPIC_NAME_PATTERN.test(name)) {
    throw new AmqpAddressError(
      `address ${JSON.stringify(address)} does not name a topic: 1 to ${MAX_TOPIC_NAME_LENGTH} characters of A-Z a-z 0-9 _ - . % | after the prefix`,
    );
  }
  return name;
}
