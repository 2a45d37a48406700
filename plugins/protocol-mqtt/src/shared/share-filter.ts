export const SHARE_PREFIX = '$share/';

/**
 * A shared subscription's filter, `$share/<shareName>/<filter>` (MQTT 5 §4.8.2, which Tessera
 * accepts from MQTT 3.1.1 clients too, as Mosquitto and EMQX do). `topic` is the whole string:
 * the key aedes stores the subscription under in the session.
 */
export class ShareFilter {
  private constructor(
    readonly topic: string,
    readonly shareName: string,
    readonly filter: string,
  ) {}

  /** Whether `topic` is in the `$share/` namespace (a shared filter, valid or not; never a topic to publish to). */
  static isShared(topic: string): boolean {
    return topic.startsWith(SHARE_PREFIX);
  }

  /**
   * The parts of a `$share/…` filter; undefined for a malformed one (an empty share name, one
   * holding `+` or `#`, or no filter after it). The inner filter's own syntax is checked by aedes
   * on the whole string before this runs.
   */
  static parse(topic: string): ShareFilter | undefined {
    if (!ShareFilter.isShared(topic)) return undefined;
    const slash = topic.indexOf('/', SHARE_PREFIX.length);
    if (slash < 0) return undefined;
    const shareName = topic.slice(SHARE_PREFIX.length, slash);
    const filter = topic.slice(slash + 1);
    if (shareName.length === 0 || /[+#]/.test(shareName) || filter.length === 0) return undefined;
    return new ShareFilter(topic, shareName, filter);
  }

  /** The filter a subscription matches topics with: the inner filter of a shared one, else `topic`; undefined for a malformed shared one. */
  static matchingFilterOf(topic: string): string | undefined {
    return ShareFilter.isShared(topic) ? ShareFilter.parse(topic)?.filter : topic;
  }
}
