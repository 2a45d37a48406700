export interface PrintableBody {
  encoding: 'utf8' | 'base64';
  text: string;
}

/** Control characters other than tab, newline and carriage return: a body with them is not text. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A message body as text when it is valid UTF-8 without control characters, else as base64. */
export function printableBody(body: Buffer): PrintableBody {
  const text = body.toString('utf8');
  const isText = !CONTROL.test(text) && Buffer.byteLength(text, 'utf8') === body.length && !text.includes('\ufffd');
  return isText ? { encoding: 'utf8', text } : { encoding: 'base64', text: body.toString('base64') };
}
