import type { Aedes, Client, PublishPacket } from 'aedes';

type PublishDone = (error?: Error | null) => void;
type InternalPublish = (packet: PublishPacket, client: Client | PublishDone | null, done?: PublishDone) => void;

/**
 * aedes 1.x writes a QoS 1 PUBACK before it routes the message to subscribers (its
 * lib/handlers/publish.js), so a crash in between loses the copies bound for persistent
 * sessions although the publisher was acknowledged. This routes a client's QoS 1 publish
 * (durably, through the persistence) inside authorizePublish, before the PUBACK, and turns
 * aedes' own publish of that same packet afterwards into a no-op.
 */
export class RouteBeforePuback {
  private readonly routed = new WeakSet<PublishPacket>();
  private publish: InternalPublish | undefined;

  install(aedes: Aedes): void {
    const target = aedes as unknown as { publish: InternalPublish };
    const original = target.publish.bind(aedes);
    this.publish = original;
    target.publish = (packet, client, done) => {
      if (!this.routed.delete(packet)) return original(packet, client, done);
      const callback = typeof client === 'function' ? client : done;
      callback?.(null);
    };
  }

  /** Routes `packet` to its subscribers now, then calls `done`; aedes' later publish of it does nothing. */
  route(packet: PublishPacket, client: Client, done: PublishDone): void {
    const publish = this.publish;
    if (!publish) {
      done(new Error('RouteBeforePuback is not installed'));
      return;
    }
    publish(packet, client, (error) => {
      if (!error) this.routed.add(packet);
      done(error ?? null);
    });
  }
}
