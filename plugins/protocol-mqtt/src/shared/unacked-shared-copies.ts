import type { AedesClient, RoutedPacket } from './aedes-internals';

/** A QoS 1/2 message sent to a member without a persistent session, awaiting its PUBACK (QoS 1) or PUBREC (QoS 2). */
export interface UnackedCopy {
  /** The shared filter (`$share/…`) it was routed through. */
  share: string;
  /** The packet as published, to route again. */
  packet: RoutedPacket;
}

/**
 * What clean-session members were sent through shared subscriptions and have not acknowledged,
 * so that it can go to another member when they disconnect (a persistent session keeps its
 * own in its queue). Acknowledgements are read off the client's packet parser.
 */
export class UnackedSharedCopies {
  private readonly byClient = new WeakMap<AedesClient, Map<number, UnackedCopy>>();

  /** Records the copy under a packet identifier taken from the client's sequence (lib/qos-packet.js keeps an identifier already set). */
  track(client: AedesClient, copy: RoutedPacket, unacked: UnackedCopy): void {
    const messageId = client._nextId;
    client._nextId = messageId >= 65535 ? 1 : messageId + 1;
    copy.messageId = messageId;
    this.copiesOf(client).set(messageId, unacked);
  }

  /** Forgets and returns what the client still had not acknowledged. */
  takeAll(client: AedesClient): UnackedCopy[] {
    const copies = this.byClient.get(client);
    if (!copies) return [];
    this.byClient.delete(client);
    return [...copies.values()];
  }

  private copiesOf(client: AedesClient): Map<number, UnackedCopy> {
    let copies = this.byClient.get(client);
    if (!copies) {
      const created = new Map<number, UnackedCopy>();
      client._parser.on('packet', (packet: { cmd: string; messageId?: number }) => {
        if ((packet.cmd === 'puback' || packet.cmd === 'pubrec') && packet.messageId !== undefined) created.delete(packet.messageId);
      });
      this.byClient.set(client, created);
      copies = created;
    }
    return copies;
  }
}
