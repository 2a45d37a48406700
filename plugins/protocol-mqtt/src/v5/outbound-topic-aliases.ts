/** How one outgoing PUBLISH names its topic: the full topic, an alias, or both (defining the alias). */
export interface AliasedTopic {
  topic: string;
  alias?: number;
}

/**
 * Server → client topic aliases on one connection (3.3.2.3.4): the first `maximum` distinct
 * topics get an alias, sent with the full topic once and alone afterwards. Topics beyond that
 * are sent in full; aliases are never reassigned, so no PUBLISH can refer to a stale one.
 */
export class OutboundTopicAliases {
  private readonly aliases = new Map<string, number>();

  /** `maximum` is the Topic Alias Maximum the client announced in its CONNECT (0: none). */
  constructor(private readonly maximum: number) {}

  name(topic: string): AliasedTopic {
    const alias = this.aliases.get(topic);
    if (alias !== undefined) return { topic: '', alias };
    if (this.aliases.size >= this.maximum) return { topic };
    const assigned = this.aliases.size + 1;
    this.aliases.set(topic, assigned);
    return { topic, alias: assigned };
  }
}
