import type { Connection } from 'rhea';

/** What is open now on the broker's side: senders deliver to consumers, receivers take transfers (publishers, transaction controllers). */
export interface OpenEndpoints {
  connections: number;
  sessions: number;
  senders: number;
  receivers: number;
}

interface RheaEndpoint {
  is_open(): boolean;
}

interface RheaSession extends RheaEndpoint {
  links: Record<string, RheaEndpoint & { is_sender(): boolean }>;
}

/**
 * Counts the open connections, sessions and links by walking rhea's own maps (a connection's
 * sessions by channel, a session's links by name), so the figures cannot drift from rhea's state.
 * Open means both ends opened and neither closed; a refused attach or a closing session is not open.
 */
export function countOpenEndpoints(connections: Iterable<Connection>): OpenEndpoints {
  const open: OpenEndpoints = { connections: 0, sessions: 0, senders: 0, receivers: 0 };
  for (const connection of connections) {
    if (!connection.is_open()) continue;
    open.connections++;
    const sessions = (connection as unknown as { local_channel_map: Record<string, RheaSession> }).local_channel_map;
    for (const session of Object.values(sessions)) {
      if (!session.is_open()) continue;
      open.sessions++;
      for (const link of Object.values(session.links)) {
        if (!link.is_open()) continue;
        if (link.is_sender()) open.senders++;
        else open.receivers++;
      }
    }
  }
  return open;
}
