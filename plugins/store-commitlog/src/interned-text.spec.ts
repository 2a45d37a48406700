import { InternedText } from './interned-text';

describe('InternedText', () => {
  it('decodes like toString, sharing one string for the same bytes wherever they sit', () => {
    const interned = new InternedText();
    const a = Buffer.from('xxamqp.bare-headyy');
    const b = Buffer.from('amqp.bare-head');
    const first = interned.decode(a, 2, 16);
    expect(first).toBe('amqp.bare-head');
    expect(interned.decode(b, 0, b.length)).toBe(first);
    expect(interned.decode(Buffer.from(''), 0, 0)).toBe('');
  });

  it('tells apart texts of equal hash or length, multi-byte UTF-8 and long texts', () => {
    const interned = new InternedText();
    const texts = ['Aa', 'BB', 'ab', 'ba', 'zürich', 'x'.repeat(33), 'x'.repeat(32), '東京'];
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        const bytes = Buffer.from(text);
        expect(interned.decode(bytes, 0, bytes.length)).toBe(text);
      }
    }
  });

  it('keeps decoding correctly once its table is full', () => {
    const interned = new InternedText();
    for (let i = 0; i < 5000; i++) {
      const bytes = Buffer.from(`name-${i}`);
      expect(interned.decode(bytes, 0, bytes.length)).toBe(`name-${i}`);
    }
    const late = Buffer.from('name-4999');
    expect(interned.decode(late, 0, late.length)).toBe('name-4999');
  });
});
