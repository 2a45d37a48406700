import type { Aedes } from 'aedes';
import type { Logger } from '@tessera/kernel';
import type { AedesClientInternals, AedesInternals } from './v5/aedes-internals';

/** What decides whether a session is present: the persistence's state (TesseraPersistence). */
export interface SessionStateHolder {
  holdsSessionState(clientId: string): boolean;
  openSession(clientId: string): Promise<void>;
}

/** Connections whose CONNACK must say "session present" (aedes would say 0). */
const resumed = new WeakSet<object>();

/**
 * aedes 1.2 sets the CONNACK's Session Present from the session's stored subscriptions alone
 * (lib/handlers/connect.js restoreSubs), so a session holding nothing else, or nothing at all, is
 * reported as new. When aedes registers a connection with clean = false (a 3.1.1 clean session 0,
 * a v5 Clean Start 0, or a v5 Clean Start 1 with an expiry, whose stored session the v5 layer
 * discarded at login), the persistence is asked whether the session exists, and records it if it
 * did not (a clean start ends it); the CONNACK aedes writes next is corrected by the writers
 * (PacketStreamWriter for 3.1.1, Mqtt5Connection for v5) through `correct`.
 */
export const SessionPresence = {
  install(aedes: Aedes, persistence: SessionStateHolder, logger: Logger): void {
    const internals = aedes as unknown as AedesInternals;
    const registerClient = internals.registerClient.bind(internals);
    internals.registerClient = (client: AedesClientInternals) => {
      if (!client.clean) {
        if (persistence.holdsSessionState(client.id)) resumed.add(client.conn);
        persistence.openSession(client.id).catch((error: unknown) => {
          logger.warn({ err: error, clientId: client.id }, 'MQTT: recording a persistent session failed; its next CONNACK may say it is not present');
        });
      }
      registerClient(client);
    };
  },

  /** Sets Session Present on a successful CONNACK written to `stream` when the session it resumes holds state. */
  correct(connack: Record<string, unknown>, stream: object): void {
    if (resumed.delete(stream) && connack.returnCode === 0) connack.sessionPresent = true;
  },
};
