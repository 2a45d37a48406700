import { OutboundTopicAliases } from './outbound-topic-aliases';

describe('OutboundTopicAliases', () => {
  it('sends a topic in full with a new alias once, then the alias alone; past the maximum, topics go in full', () => {
    const aliases = new OutboundTopicAliases(2);
    expect(aliases.name('a')).toEqual({ topic: 'a', alias: 1 });
    expect(aliases.name('a')).toEqual({ topic: '', alias: 1 });
    expect(aliases.name('b')).toEqual({ topic: 'b', alias: 2 });
    expect(aliases.name('c')).toEqual({ topic: 'c' });
    expect(aliases.name('c')).toEqual({ topic: 'c' });
    expect(aliases.name('b')).toEqual({ topic: '', alias: 2 });
  });
});
