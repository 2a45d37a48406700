import { AckLedger } from './ack-ledger';

describe('AckLedger', () => {
  function ledgerOf(messageCount = 1): AckLedger {
    return new AckLedger(messageCount);
  }

  function deliverAndAck(ledger: AckLedger, seq: number, deliveryCount: number, outcome: 'OK' | 'STALE' | 'UNKNOWN'): void {
    ledger.delivered(seq, deliveryCount, 'c', ledger.epoch);
    ledger.acked(seq, outcome, ledger.ackSent());
  }

  it('accepts a message delivered, expired, nacked and acked once with counts 1, 2, 3', () => {
    const ledger = ledgerOf();
    ledger.delivered(0, 1, 'a', 0);
    ledger.delivered(0, 2, 'b', 0);
    deliverAndAck(ledger, 0, 3, 'OK');
    expect(ledger.problems()).toEqual([]);
    expect(ledger.settledCount()).toBe(1);
  });

  it('reports a message never delivered, one never acked and one acked twice', () => {
    const ledger = ledgerOf(3);
    ledger.delivered(1, 1, 'a', 0);
    deliverAndAck(ledger, 2, 1, 'OK');
    deliverAndAck(ledger, 2, 2, 'OK');
    expect(ledger.problems()).toEqual([
      'seq 0: never delivered ()',
      'seq 1: never acked OK (#1@a/e0)',
      'seq 2: acked OK 2 times (#1@c/e0 ack:OK #2@c/e0 ack:OK)',
    ]);
  });

  it('reports a delivery after the OK ack, and a repeated or skipped count within one epoch', () => {
    const ledger = ledgerOf(3);
    deliverAndAck(ledger, 0, 1, 'OK');
    ledger.delivered(0, 2, 'a', 0);
    ledger.delivered(1, 1, 'a', 0);
    deliverAndAck(ledger, 1, 1, 'OK');
    ledger.delivered(2, 1, 'a', 0);
    deliverAndAck(ledger, 2, 3, 'OK');
    expect(ledger.problems().map((p) => p.split(' (')[0])).toEqual([
      'seq 0: delivered again after an OK ack',
      'seq 1: delivery count 1 follows 1',
      'seq 2: delivery count 3 follows 1',
    ]);
  });

  it('allows one skipped count across the crash, and a first count of 2 after it', () => {
    const ledger = ledgerOf(2);
    ledger.delivered(0, 1, 'a', 0);
    ledger.crashed();
    deliverAndAck(ledger, 0, 3, 'OK');
    deliverAndAck(ledger, 1, 2, 'OK');
    expect(ledger.problems()).toEqual([]);
  });

  it('refuses two skipped counts across the crash, and a first count of 2 before it', () => {
    const ledger = ledgerOf(2);
    ledger.delivered(0, 1, 'a', 0);
    deliverAndAck(ledger, 1, 2, 'OK');
    ledger.crashed();
    deliverAndAck(ledger, 0, 4, 'OK');
    expect(ledger.problems().map((p) => p.split(' (')[0])).toEqual(['seq 0: delivery count 4 follows 1', 'seq 1: first delivery has count 2']);
  });

  it('accepts a lost ack with no OK only if the message never came back', () => {
    const ledger = ledgerOf(2);
    deliverAndAck(ledger, 0, 1, 'UNKNOWN');
    deliverAndAck(ledger, 1, 1, 'UNKNOWN');
    ledger.crashed();
    ledger.delivered(1, 2, 'b', 1);
    expect(ledger.settledCount()).toBe(1);
    expect(ledger.unknownCount()).toBe(2);
    expect(ledger.problems().map((p) => p.split(' (')[0])).toEqual(['seq 1: never acked OK, yet delivered after an ack whose outcome was lost']);
    ledger.acked(1, 'OK', ledger.ackSent());
    expect(ledger.problems()).toEqual([]);
  });
});
