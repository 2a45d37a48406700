import type { Aedes } from 'aedes';
import type { Duplex } from 'node:stream';

interface RoutedPacket {
  brokerId?: string;
  brokerCounter?: number;
}

type Deliver = (packet: RoutedPacket, done: (error?: Error | null) => void) => void;

/** The parts of aedes 1.2.0's lib/client.js this relies on (verified against that version). */
interface DedupingClient {
  duplicates: Record<string, number>;
  deliver0: Deliver;
  deliverQoS: Deliver;
}

/**
 * aedes drops a delivery to a client whose broker counter is not above the last one it delivered
 * to that client (lib/client.js dedupe), which is how a message matching two of a client's
 * subscriptions goes out once. But a QoS 0 publish reaches subscribers in the turn it is routed,
 * while a QoS 1/2 one first waits for the persistence: a QoS 0 message routed just after a QoS 1
 * one overtakes it, and the QoS 1 message, now "older", is dropped for every subscriber both
 * reach. This keeps what the dedupe is for and nothing else: within one turn of the event loop
 * (a message's copies for overlapping subscriptions are delivered in the same emit), a client
 * gets each message once; order of arrival no longer matters.
 */
export class ExactDeliveryDedupe {
  install(aedes: Aedes): void {
    const internals = aedes as unknown as { handle(conn: Duplex, req?: unknown): DedupingClient };
    const handle = internals.handle.bind(internals);
    internals.handle = (conn, req) => {
      const client = handle(conn, req);
      attach(client);
      return client;
    };
  }
}

function attach(client: DedupingClient): void {
  let delivering: RoutedPacket | undefined;
  /** Counters delivered this turn, by broker id. */
  let delivered = new Map<string, Set<number>>();
  let forgetting = false;
  // aedes' dedupe reads duplicates[brokerId] and forwards when it is below the packet's counter.
  client.duplicates = new Proxy(Object.create(null) as Record<string, number>, {
    get: (_target, brokerId) => {
      const counter = delivering?.brokerCounter;
      if (typeof brokerId !== 'string' || counter === undefined) return undefined;
      return delivered.get(brokerId)?.has(counter) ? counter : 0;
    },
    set: (_target, brokerId, counter: number) => {
      if (typeof brokerId !== 'string') return true;
      const counters = delivered.get(brokerId);
      if (counters) counters.add(counter);
      else delivered.set(brokerId, new Set([counter]));
      if (!forgetting) {
        forgetting = true;
        setImmediate(() => {
          delivered = new Map();
          forgetting = false;
        });
      }
      return true;
    },
    deleteProperty: () => true,
  });
  for (const name of ['deliver0', 'deliverQoS'] as const) {
    const deliver = client[name];
    client[name] = (packet, done) => {
      const outer = delivering;
      delivering = packet;
      try {
        deliver(packet, done);
      } finally {
        delivering = outer;
      }
    };
  }
}
