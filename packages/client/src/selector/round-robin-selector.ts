import type { QueueSelector } from './queue-selector';

/** A selector that cycles through the queues; each call makes an independent cycle. */
export const roundRobinSelector = (): QueueSelector => {
  let next = Math.floor(Math.random() * 1024);
  return (queueCount) => {
    next = (next + 1) % 0x4000_0000;
    return next % queueCount;
  };
};
