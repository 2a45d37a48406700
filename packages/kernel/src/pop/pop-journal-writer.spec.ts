import { PopJournalWriter } from './pop-journal-writer';

describe('PopJournalWriter', () => {
  it('writes the documented bytes, selecting a queue once for the ops that follow on it', () => {
    const writer = new PopJournalWriter('g', 'c1');
    expect(writer.isEmpty).toBe(true);
    writer.lease('t', 1, 300, 5, 1000, 1, 10);
    writer.lease('t', 1, 301, 6, 1000, 1, 10);
    writer.ack('u', 0, 7);
    writer.visible('u', 0, 8, 2000, 3);
    writer.start('u', 1, 150);
    expect(writer.isEmpty).toBe(false);
    expect(writer.finish().toString('hex')).toBe(
      [
        '01', '0167', '026331', // version, group "g", clientId "c1"
        '01', '0174', '01', // QUEUE "t" 1
        '02', 'ac02', '05', 'e807', '01', '0a', // LEASE 300 lease 5 expires 1000 delivery 1 bytes 10
        '02', 'ad02', '06', 'e807', '01', '0a', // LEASE 301 lease 6
        '01', '0175', '00', // QUEUE "u" 0
        '03', '07', // ACK 7
        '04', '08', 'd00f', '03', // VISIBLE 8 at 2000 delivery 3
        '01', '0175', '01', // QUEUE "u" 1
        '06', '9601', // START at 150
      ].join(''),
    );
  });

  it('grows past its first buffer and encodes the largest safe integers', () => {
    const writer = new PopJournalWriter('group-'.repeat(100), 'client');
    for (let offset = 0; offset < 1000; offset++) writer.lease('topic', 3, offset, Number.MAX_SAFE_INTEGER, 1, 1, 1);
    expect(writer.finish().length).toBeGreaterThan(1000 * 12);
  });
});
