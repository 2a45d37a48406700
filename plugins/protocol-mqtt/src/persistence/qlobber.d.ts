// qlobber ships no types; these cover what the persistence uses (the ones aedes-persistence uses too).
declare module 'qlobber' {
  interface QlobberOptions {
    separator?: string;
    wildcard_one?: string;
    wildcard_some?: string;
  }
  export class QlobberTrue {
    constructor(options?: QlobberOptions);
    add(topic: string): this;
    test(topic: string): boolean;
  }
}

declare module 'qlobber/aedes/qlobber-sub' {
  interface QlobberSubValue {
    clientId: string;
    topic: string;
    qos?: number;
    rh?: unknown;
    rap?: unknown;
    nl?: unknown;
  }
  class QlobberSub {
    constructor(options?: { separator?: string; wildcard_one?: string; wildcard_some?: string });
    readonly subscriptionsCount: number;
    add(topic: string, value: QlobberSubValue): this;
    remove(topic: string, value: { clientId: string; topic: string }): this;
    match(topic: string): Array<Record<string, unknown>>;
  }
  export = QlobberSub;
}
