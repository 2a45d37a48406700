import type { Broker } from '@tessera/kernel';
import { SettlementBatcher } from './settlement-batcher';

describe('SettlementBatcher', () => {
  it('makes one kernel call per kind and delay for what was settled in one turn, and answers each receipt', async () => {
    const calls: string[] = [];
    const broker = {
      ack: async (group: string, receipts: string[]) => {
        calls.push(`ack ${group} ${receipts.join(',')}`);
        return receipts.map((r) => (r === 'stale' ? 'STALE' : 'OK'));
      },
      release: async (group: string, receipts: string[]) => {
        calls.push(`release ${group} ${receipts.join(',')}`);
        return receipts.map(() => 'OK');
      },
      nack: async (group: string, receipts: string[], afterMs: number) => {
        calls.push(`nack ${group} ${receipts.join(',')} ${afterMs}`);
        return receipts.map(() => 'OK');
      },
    } as unknown as Broker;
    const batcher = new SettlementBatcher(broker, 'g');
    const results = await Promise.all([
      batcher.ack('a'),
      batcher.nack('b', 0),
      batcher.ack('stale'),
      batcher.nack('c', 1000),
      batcher.nack('d', 0),
      batcher.release('e'),
      batcher.release('f'),
    ]);
    expect(results).toEqual(['OK', 'OK', 'STALE', 'OK', 'OK', 'OK', 'OK']);
    expect(calls.sort()).toEqual(['ack g a,stale', 'nack g b,d 0', 'nack g c 1000', 'release g e,f']);
  });

  it('fails every receipt of a call the kernel refused', async () => {
    const broker = { ack: async () => Promise.reject(new Error('shutting down')) } as unknown as Broker;
    const batcher = new SettlementBatcher(broker, 'g');
    await expect(Promise.all([batcher.ack('a'), batcher.ack('b')])).rejects.toThrow('shutting down');
  });
});
