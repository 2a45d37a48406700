import { InboundTopicAliases } from './inbound-topic-aliases';
import { Mqtt5ProtocolError } from './mqtt5-protocol-error';

describe('InboundTopicAliases', () => {
  it('defines an alias with a topic and resolves it without one, and redefines it', () => {
    const aliases = new InboundTopicAliases(2);
    expect(aliases.resolve('a/b', 1)).toBe('a/b');
    expect(aliases.resolve('', 1)).toBe('a/b');
    expect(aliases.resolve('c', 1)).toBe('c');
    expect(aliases.resolve('', 1)).toBe('c');
  });

  it('refuses an alias of 0 or above the maximum with 0x94, and an undefined one with 0x82', () => {
    const aliases = new InboundTopicAliases(2);
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as Mqtt5ProtocolError).reasonCode;
      }
      return undefined;
    };
    expect(codeOf(() => aliases.resolve('a', 0))).toBe(0x94);
    expect(codeOf(() => aliases.resolve('a', 3))).toBe(0x94);
    expect(codeOf(() => aliases.resolve('', 2))).toBe(0x82);
  });
});
