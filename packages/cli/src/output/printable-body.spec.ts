import { printableBody } from './printable-body';

describe('printableBody', () => {
  it.each([
    ['plain text', Buffer.from('hello, world')],
    ['text with tabs and newlines', Buffer.from('a\tb\r\nc')],
    ['non-ASCII UTF-8', Buffer.from('prix: 12 € — ok')],
    ['nothing', Buffer.alloc(0)],
  ])('shows %s as UTF-8', (_, body) => {
    expect(printableBody(body)).toEqual({ encoding: 'utf8', text: body.toString('utf8') });
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x68, 0xc3, 0x28])],
    ['a NUL byte', Buffer.from('a\u0000b')],
    ['an escape character', Buffer.from('\u001b[31mred')],
    ['random bytes', Buffer.from([0xff, 0xfe, 0x00, 0x01])],
  ])('shows %s as base64', (_, body) => {
    expect(printableBody(body)).toEqual({ encoding: 'base64', text: body.toString('base64') });
  });
});
