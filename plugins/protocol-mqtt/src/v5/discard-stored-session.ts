import type { SessionPersistence } from './aedes-internals';

/** Removes what the persistence keeps of a session: its subscriptions, queued messages and unreleased QoS 2 ids. */
export async function discardStoredSession(persistence: SessionPersistence, clientId: string): Promise<void> {
  const client = { id: clientId };
  await persistence.cleanSubscriptions(client);
  for await (const packet of persistence.outgoingStream(client)) await persistence.outgoingClearMessageId(client, packet as object);
  await persistence.cleanIncoming?.(client);
}
