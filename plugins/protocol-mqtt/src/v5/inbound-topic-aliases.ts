import { Mqtt5ProtocolError } from './mqtt5-protocol-error';
import { Mqtt5ReasonCode } from './mqtt5-reason-code';

/** The topic aliases a client set on one connection (client → server, 3.3.2.3.4). */
export class InboundTopicAliases {
  private readonly topics = new Map<number, string>();

  /** `maximum` is the Topic Alias Maximum the server announced in its CONNACK. */
  constructor(private readonly maximum: number) {}

  /** The topic a PUBLISH with `topic` and `alias` is for; an alias with a topic (re)defines it. */
  resolve(topic: string, alias: number): string {
    if (!Number.isInteger(alias) || alias < 1 || alias > this.maximum) {
      throw new Mqtt5ProtocolError(Mqtt5ReasonCode.TOPIC_ALIAS_INVALID, `topic alias ${alias} is outside 1..${this.maximum}`);
    }
    if (topic.length > 0) {
      this.topics.set(alias, topic);
      return topic;
    }
    const known = this.topics.get(alias);
    if (known === undefined) throw new Mqtt5ProtocolError(Mqtt5ReasonCode.PROTOCOL_ERROR, `topic alias ${alias} was never defined`);
    return known;
  }
}
