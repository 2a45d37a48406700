import { createHash, timingSafeEqual } from 'node:crypto';
import { mqttFilterCovers } from './mqtt-filter-covers';
import type { MqttAclEntry, MqttProtocolOptions } from './mqtt-protocol-options';
import { mqttTopicMatches } from './mqtt-topic-matches';

/** CONNACK return codes of MQTT 3.1.1 (3.2.2.3) that authentication answers with. */
export const ConnackReturnCode = {
  ACCEPTED: 0,
  BAD_USERNAME_OR_PASSWORD: 4,
  NOT_AUTHORIZED: 5,
} as const;
export type ConnackReturnCode = (typeof ConnackReturnCode)[keyof typeof ConnackReturnCode];

/** Users and ACLs from the plugin's options. */
export class MqttAccessControl {
  private readonly passwordDigests = new Map<string, Buffer>();

  constructor(private readonly options: Pick<MqttProtocolOptions, 'allowAnonymous' | 'users' | 'acl'>) {
    for (const user of options.users) this.passwordDigests.set(user.username, digest(Buffer.from(user.password, 'utf8')));
  }

  authenticate(username: string | undefined, password: Buffer | undefined): ConnackReturnCode {
    if (username === undefined) return this.options.allowAnonymous ? ConnackReturnCode.ACCEPTED : ConnackReturnCode.NOT_AUTHORIZED;
    const expected = this.passwordDigests.get(username);
    // Digests of equal length, so the comparison takes the same time whatever the guess.
    const given = digest(password ?? Buffer.alloc(0));
    if (!expected || !timingSafeEqual(expected, given)) return ConnackReturnCode.BAD_USERNAME_OR_PASSWORD;
    return ConnackReturnCode.ACCEPTED;
  }

  mayPublish(username: string | undefined, topic: string): boolean {
    if (this.options.acl.length === 0) return true;
    return this.entriesOf(username).some((entry) => entry.publish.some((filter) => mqttTopicMatches(filter, topic)));
  }

  maySubscribe(username: string | undefined, filter: string): boolean {
    if (this.options.acl.length === 0) return true;
    return this.entriesOf(username).some((entry) => entry.subscribe.some((allowed) => mqttFilterCovers(allowed, filter)));
  }

  private entriesOf(username: string | undefined): MqttAclEntry[] {
    return this.options.acl.filter((entry) => entry.username === undefined || entry.username === username);
  }
}

function digest(value: Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}
