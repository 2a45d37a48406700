import { crc32c } from '@node-rs/crc32';
import type { AppendMessage } from '@tessera/kernel';
import { checkRecord } from './check-record';
import { decodeRecord } from './decode-record';
import { encodeEndOfSegment, encodeRecord } from './encode-record';
import { measureRecord } from './measure-record';
import { RecordLayout } from './record-layout';

const message: AppendMessage = {
  topic: 'T',
  queueId: 3,
  body: Buffer.from('hi'),
  tag: 'g',
  keys: ['k'],
  properties: { a: 'b' },
  bornTimestamp: 1000,
  flag: -1,
  reconsumeTimes: 2,
};

// size | magic | crc | queueId | queueOffset | physicalOffset | flag | born | store | reconsume |
// topic len | tag len | key count | properties len | body len | "T" | "g" | key "k" | a=b | "hi"
const GOLDEN =
  '53000000' + '314d5354' + 'd78dc803' + '03000000' + '0500000000000000' + '0010000000000000' + 'ffffffff' +
  'e803000000000000' + 'd007000000000000' + '02000000' + '0100' + '0100' + '0100' + '06000000' + '02000000' +
  '54' + '67' + '01006b' + '010061' + '010062' + '6869';

function encoded(): Buffer {
  const size = measureRecord(message, 1);
  const buffer = Buffer.alloc(size + 10);
  encodeRecord(buffer, 10, size, message, Buffer.from('T'), { queueOffset: 5, physicalOffset: 4096, storeTimestamp: 2000 });
  return buffer.subarray(10);
}

describe('record codec', () => {
  it('encodes the documented layout byte for byte', () => {
    const record = encoded();
    expect(record.toString('hex')).toBe(GOLDEN);
    expect(record.readUInt32LE(RecordLayout.CRC)).toBe(crc32c(record.subarray(RecordLayout.CHECKSUMMED_FROM)));
  });

  it('decodes what it encodes, the body as a view of the buffer', () => {
    const record = encoded();
    expect(checkRecord(record, 0, 8192, 4096, true)).toEqual({ kind: 'message', size: 83 });
    const decoded = decodeRecord(record, 0, 0xabcdef01);
    expect(decoded).toMatchObject({
      msgId: 'ABCDEF010000000000001000',
      topic: 'T',
      queueId: 3,
      queueOffset: 5,
      commitLogOffset: 4096,
      storeSize: 83,
      tag: 'g',
      keys: ['k'],
      properties: { a: 'b' },
      bornTimestamp: 1000,
      storeTimestamp: 2000,
      flag: -1,
      reconsumeTimes: 2,
    });
    expect(decoded.body.toString()).toBe('hi');
    expect(decoded.body.buffer).toBe(record.buffer);
  });

  it('writes keys and properties as UTF-8 whatever their characters and length', () => {
    const long = 'x'.repeat(200);
    const strings: AppendMessage = {
      ...message,
      keys: ['ascii', 'clé', '🔑', long + 'é'],
      properties: { 'mqtt.topic': 'sensors/räum/temp', [long]: long, 'ключ': 'значение', empty: '' },
    };
    const size = measureRecord(strings, 1);
    const record = Buffer.alloc(size);
    encodeRecord(record, 0, size, strings, Buffer.from('T'), { queueOffset: 0, physicalOffset: 0, storeTimestamp: 0 });
    expect(checkRecord(record, 0, size, 0, true)).toEqual({ kind: 'message', size });
    expect(decodeRecord(record, 0, 0)).toMatchObject({ keys: strings.keys, properties: strings.properties });
  });

  it('refuses a flipped byte, a record at the wrong position, a torn record and garbage', () => {
    const record = Buffer.from(encoded());
    expect(checkRecord(record, 0, 8192, 4097, true)).toMatchObject({ kind: 'invalid' });
    expect(checkRecord(record.subarray(0, 40), 0, 8192, 4096, true)).toEqual({ kind: 'incomplete', size: 83 });
    expect(checkRecord(record, 0, 50, 4096, true)).toMatchObject({ kind: 'invalid' });
    record[record.length - 1] ^= 0x01;
    expect(checkRecord(record, 0, 8192, 4096, true)).toEqual({ kind: 'invalid', reason: 'checksum mismatch' });
    expect(checkRecord(record, 0, 8192, 4096, false)).toEqual({ kind: 'message', size: 83 });
    expect(checkRecord(Buffer.from('not a record at all'), 0, 8192, 0, true)).toMatchObject({ kind: 'invalid' });
    expect(checkRecord(Buffer.alloc(64), 0, 8192, 0, true)).toEqual({ kind: 'blank' });
  });

  it('marks the end of a segment with the bytes left in it', () => {
    const marker = Buffer.alloc(RecordLayout.END_OF_SEGMENT_BYTES);
    encodeEndOfSegment(marker, 0, 100);
    expect(checkRecord(marker, 0, 100, 0, true)).toEqual({ kind: 'end-of-segment', size: 100 });
    expect(checkRecord(marker, 0, 101, 0, true)).toMatchObject({ kind: 'invalid' });
  });

  it('refuses fields the layout cannot hold', () => {
    expect(() => measureRecord({ ...message, tag: 'x'.repeat(70_000) }, 1)).toThrow(/tag is 70000 bytes/);
    expect(() => measureRecord({ ...message, properties: { p: 7 as unknown as string } }, 1)).toThrow(/not a string/);
  });
});
