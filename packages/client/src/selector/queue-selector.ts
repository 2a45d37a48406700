import type { Message } from '../message/message';

/** Picks a write queue (0 … queueCount-1) for a message. */
export type QueueSelector = (queueCount: number, message: Message, shardingKey?: string) => number;
