import { mqttTopicMatches } from '../mqtt-topic-matches';
import { ShareFilter } from '../shared';

/** The Subscription Identifiers (3.8.2.1.2) of one client's subscriptions, by topic filter. */
export class SubscriptionIdentifiers {
  private readonly byFilter = new Map<string, number>();

  set(filter: string, identifier: number | undefined): void {
    if (identifier === undefined) this.byFilter.delete(filter);
    else this.byFilter.set(filter, identifier);
  }

  get(filter: string): number | undefined {
    return this.byFilter.get(filter);
  }

  delete(filter: string): void {
    this.byFilter.delete(filter);
  }

  /** The identifiers of every subscription matching `topic` (one PUBLISH carries them all, 3.3.4). */
  matching(topic: string): number[] {
    const identifiers: number[] = [];
    for (const [filter, identifier] of this.byFilter) {
      const matching = ShareFilter.matchingFilterOf(filter);
      if (matching !== undefined && mqttTopicMatches(matching, topic)) identifiers.push(identifier);
    }
    return identifiers;
  }

  get size(): number {
    return this.byFilter.size;
  }
}
