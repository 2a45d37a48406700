import type { ShareFilter } from './share-filter';

interface ShareMember {
  /** The QoS its subscription was granted with. */
  qos: number;
  /** A persistent session stays a member while offline and queues what it is given. */
  persistent: boolean;
}

/** Who gets a message: a connected member, or an offline one whose session queues it. */
export interface ChosenMember {
  clientId: string;
  online: boolean;
}

/**
 * The sessions subscribed with one share name and filter, and the choice of the one that gets
 * each message: round-robin over the connected members; when none is connected, a QoS 1/2
 * message goes to the next offline persistent session subscribed with QoS 1 or 2.
 */
export class ShareGroup {
  private readonly members = new Map<string, ShareMember>();
  private ids: string[] = [];
  private onlineCursor = 0;
  private offlineCursor = 0;

  constructor(readonly share: ShareFilter) {}

  get size(): number {
    return this.ids.length;
  }

  has(clientId: string): boolean {
    return this.members.has(clientId);
  }

  /** Adds the member, or updates it (a repeated SUBSCRIBE, a new connection of the session). */
  add(clientId: string, qos: number, persistent: boolean): void {
    if (!this.members.has(clientId)) this.ids.push(clientId);
    this.members.set(clientId, { qos, persistent });
  }

  remove(clientId: string): void {
    if (!this.members.delete(clientId)) return;
    const index = this.ids.indexOf(clientId);
    this.ids.splice(index, 1);
    if (index < this.onlineCursor) this.onlineCursor--;
    if (index < this.offlineCursor) this.offlineCursor--;
  }

  qosOf(clientId: string): number | undefined {
    return this.members.get(clientId)?.qos;
  }

  isPersistent(clientId: string): boolean {
    return this.members.get(clientId)?.persistent === true;
  }

  /**
   * The member for a message of `qos`, or undefined when it is to be dropped. `isStored` tells
   * whether an offline member's session still holds the subscription (a session can expire or be
   * cleaned while offline).
   */
  choose(qos: number, isOnline: (clientId: string) => boolean, isStored: (clientId: string) => boolean = () => true): ChosenMember | undefined {
    const online = this.next('onlineCursor', isOnline);
    if (online !== undefined) return { clientId: online, online: true };
    if (qos === 0) return undefined;
    const offline = this.next('offlineCursor', (clientId) => {
      const member = this.members.get(clientId)!;
      return member.persistent && member.qos > 0 && isStored(clientId);
    });
    return offline === undefined ? undefined : { clientId: offline, online: false };
  }

  private next(cursor: 'onlineCursor' | 'offlineCursor', eligible: (clientId: string) => boolean): string | undefined {
    const count = this.ids.length;
    for (let step = 0; step < count; step++) {
      const index = (this[cursor] + step) % count;
      const clientId = this.ids[index]!;
      if (eligible(clientId)) {
        this[cursor] = (index + 1) % count;
        return clientId;
      }
    }
    return undefined;
  }
}
