import { PopJournalReader } from './pop-journal-reader';
import { PopJournalWriter } from './pop-journal-writer';

function readAll(body: Buffer): string[] {
  const reader = new PopJournalReader(body);
  const ops = [`${reader.group}/${reader.clientId}`];
  while (reader.next()) {
    const { op, topic, queueId, offset } = reader;
    const at = `${op} ${topic}:${queueId}@${offset}`;
    if (op === 'LEASE') ops.push(`${at} lease=${reader.leaseId} due=${reader.dueAt} n=${reader.deliveryCount} bytes=${reader.bodyBytes}`);
    else if (op === 'VISIBLE') ops.push(`${at} due=${reader.dueAt} n=${reader.deliveryCount}`);
    else ops.push(at);
  }
  return ops;
}

describe('PopJournalReader', () => {
  it('reads the documented bytes', () => {
    const golden = Buffer.from(
      ['01016702633101017401', '02ac0205e807010a', '02ad0206e807010a', '01017500', '0307', '0408d00f03', '01017501', '069601'].join(''),
      'hex',
    );
    expect(readAll(golden)).toEqual([
      'g/c1',
      'LEASE t:1@300 lease=5 due=1000 n=1 bytes=10',
      'LEASE t:1@301 lease=6 due=1000 n=1 bytes=10',
      'ACK u:0@7',
      'VISIBLE u:0@8 due=2000 n=3',
      'START u:1@150',
    ]);
  });

  it('reads back what the writer wrote, non-ASCII names and the largest safe integers included', () => {
    const writer = new PopJournalWriter('gröup', '');
    writer.lease('%RETRY%g', 1023, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1_900_000_000_000, 16, 0);
    writer.visible('t', 0, 0, 0, 0);
    expect(readAll(writer.finish())).toEqual([
      'gröup/',
      `LEASE %RETRY%g:1023@${Number.MAX_SAFE_INTEGER} lease=${Number.MAX_SAFE_INTEGER} due=1900000000000 n=16 bytes=0`,
      'VISIBLE t:0@0 due=0 n=0',
    ]);
  });

  it('refuses a body it cannot read', () => {
    const writer = new PopJournalWriter('g', 'c');
    writer.lease('t', 0, 1, 2, 3, 4, 5);
    const whole = writer.finish();
    expect(() => readAll(whole.subarray(0, whole.length - 1))).toThrow(/ends in the middle/);
    expect(() => readAll(Buffer.from([2, 0, 0]))).toThrow(/unknown pop journal version 2/);
    expect(() => readAll(Buffer.from([1, 0, 0, 0x03, 0x01]))).toThrow(/before any queue/);
    expect(() => readAll(Buffer.from([1, 0, 0, 0x7f]))).toThrow(/unknown pop journal op 127/);
    const nineByteQueueId = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expect(() => readAll(Buffer.from([1, 0, 0, 0x01, 0x01, 0x74, ...nineByteQueueId]))).toThrow(/longer than 8 bytes/);
  });
});
