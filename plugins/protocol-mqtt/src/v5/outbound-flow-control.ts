import { Mqtt5ProtocolError } from './mqtt5-protocol-error';
import { Mqtt5ReasonCode } from './mqtt5-reason-code';

/**
 * The client's Receive Maximum (3.3.4): at most `receiveMaximum` QoS 1/2 PUBLISHes unacknowledged
 * on the connection. Further ones wait here, in order, until a PUBACK or PUBCOMP frees a slot;
 * more than `maxHeld` waiting is a client that stopped acknowledging, and ends the connection.
 */
export class OutboundFlowControl<Packet extends { messageId?: number }> {
  private readonly inflight = new Set<number>();
  private held: Packet[] = [];
  private heldHead = 0;

  constructor(
    private readonly receiveMaximum: number,
    private readonly maxHeld: number,
  ) {}

  get inflightCount(): number {
    return this.inflight.size;
  }

  get heldCount(): number {
    return this.held.length - this.heldHead;
  }

  /** True when the packet may be written now (a retransmission always may); false when it waits. */
  offer(packet: Packet): boolean {
    const messageId = packet.messageId!;
    if (this.inflight.has(messageId)) return true;
    if (this.inflight.size < this.receiveMaximum && this.heldCount === 0) {
      this.inflight.add(messageId);
      return true;
    }
    if (this.heldCount >= this.maxHeld) {
      throw new Mqtt5ProtocolError(
        Mqtt5ReasonCode.QUOTA_EXCEEDED,
        `${this.maxHeld} QoS 1/2 messages wait for the client's receive maximum of ${this.receiveMaximum}`,
      );
    }
    this.held.push(packet);
    return false;
  }

  /** The client acknowledged `messageId` for good: the packets that may be written now, in order. */
  release(messageId: number): Packet[] {
    if (!this.inflight.delete(messageId)) return [];
    const sendable: Packet[] = [];
    while (this.inflight.size < this.receiveMaximum && this.heldCount > 0) {
      const packet = this.held[this.heldHead++]!;
      this.inflight.add(packet.messageId!);
      sendable.push(packet);
    }
    if (this.heldHead > 1024 && this.heldHead * 2 > this.held.length) {
      this.held = this.held.slice(this.heldHead);
      this.heldHead = 0;
    }
    return sendable;
  }
}
