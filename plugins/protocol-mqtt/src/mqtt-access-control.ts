import { permits, type UserPermissions, type UserStore } from '@tessera/kernel';
import { mqttFilterCovers } from './mqtt-filter-covers';
import type { MqttAclEntry, MqttProtocolOptions } from './mqtt-protocol-options';
import { ALL_TOPICS, type MqttTopicMapping } from './mqtt-topic-mapping';
import { mqttTopicMatches } from './mqtt-topic-matches';

/** CONNACK return codes of MQTT 3.1.1 (3.2.2.3) that authentication answers with. */
export const ConnackReturnCode = {
  ACCEPTED: 0,
  BAD_USERNAME_OR_PASSWORD: 4,
  NOT_AUTHORIZED: 5,
} as const;
export type ConnackReturnCode = (typeof ConnackReturnCode)[keyof typeof ConnackReturnCode];

/** Who a connection logged in as, resolved once at CONNECT. */
export interface MqttPrincipal {
  /** Undefined for an anonymous client. */
  username: string | undefined;
  /** The user store's permissions; undefined: no restriction. */
  permissions: UserPermissions | undefined;
}

/**
 * Logins against the broker's UserStore (shared by every protocol) and what a client may do: the
 * store's produce/consume permissions on the Tessera topic an MQTT topic maps to, and within them
 * the plugin's finer MQTT-filter `acl`.
 */
export class MqttAccessControl {
  constructor(
    private readonly users: UserStore,
    private readonly options: Pick<MqttProtocolOptions, 'allowAnonymous' | 'acl'>,
    private readonly mapping: MqttTopicMapping,
  ) {}

  authenticate(username: string | undefined, password: Buffer | undefined): ConnackReturnCode {
    if (username === undefined) return this.options.allowAnonymous ? ConnackReturnCode.ACCEPTED : ConnackReturnCode.NOT_AUTHORIZED;
    return this.users.authenticate(username, password ?? Buffer.alloc(0)) ? ConnackReturnCode.ACCEPTED : ConnackReturnCode.BAD_USERNAME_OR_PASSWORD;
  }

  principalOf(username: string | undefined): MqttPrincipal {
    return { username, permissions: this.users.permissionsOf(username) };
  }

  /** Publishing needs `produce` on the topic's Tessera topic; a restricted user may not publish to `$` topics, which have none. */
  mayPublish(principal: MqttPrincipal, topic: string): boolean {
    if (principal.permissions) {
      const name = this.tesseraTopicOf(topic);
      if (name === undefined || !permits(principal.permissions, 'produce', name)) return false;
    }
    if (this.options.acl.length === 0) return true;
    return this.entriesOf(principal.username).some((entry) => entry.publish.some((filter) => mqttTopicMatches(filter, topic)));
  }

  /**
   * Subscribing needs `consume` on the filter's Tessera topic. A wildcard first level (`+/…`, `#`)
   * reaches every topic, so it needs a consume pattern matching every name (`*`); `$` filters
   * reach no Tessera topic and are refused to restricted users.
   */
  maySubscribe(principal: MqttPrincipal, filter: string): boolean {
    if (principal.permissions && !this.mayConsumeAll(principal.permissions, filter)) return false;
    if (this.options.acl.length === 0) return true;
    return this.entriesOf(principal.username).some((entry) => entry.subscribe.some((allowed) => mqttFilterCovers(allowed, filter)));
  }

  private mayConsumeAll(permissions: UserPermissions, filter: string): boolean {
    const names = this.mapping.tesseraTopicsOf(filter);
    if (names === ALL_TOPICS) return permissions.consume.some((pattern) => /^\*+$/.test(pattern));
    return names.length > 0 && names.every((name) => permits(permissions, 'consume', name));
  }

  /** Undefined for a `$` topic, and for one whose first level makes no valid name (its store is refused anyway). */
  private tesseraTopicOf(topic: string): string | undefined {
    try {
      return this.mapping.tesseraTopicOf(topic);
    } catch {
      return undefined;
    }
  }

  private entriesOf(username: string | undefined): MqttAclEntry[] {
    return this.options.acl.filter((entry) => entry.username === undefined || entry.username === username);
  }
}
