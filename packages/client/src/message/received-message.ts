import type { WireStoredMessage } from '@tessera/wire';

/** A message as a consumer gets it: the broker's response decoded, handed over without a copy. */
export type ReceivedMessage = WireStoredMessage;
