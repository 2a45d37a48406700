import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime, type Logger, type MessageInput } from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import { AmqpRefusal } from './amqp-refusal';
import { ConnectionTransactions, type TransactionalSettlement, type TransactionLimits } from './connection-transactions';

const silent = { warn: () => undefined } as unknown as Logger;
const limits: TransactionLimits = { maxOpenTransactions: 4, maxTransactionMessages: 10, maxTransactionBytes: 1000, maxConnectionTransactionBytes: 1500 };

/** A consumer outcome that records what the transaction did with it. */
function recordingSettlement(log: string[], name: string): TransactionalSettlement {
  return {
    commit: async () => void log.push(`${name}:commit`),
    rollback: async () => void log.push(`${name}:rollback`),
  };
}

describe('ConnectionTransactions', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let transactions: ConnectionTransactions;
  let counted: string[];
  const owner = {};

  const message = (topic: string, body: string | Buffer): MessageInput => ({ topic, body: Buffer.from(body) });
  const count = async (topic: string) => {
    let total = 0;
    for (let queueId = 0; queueId < 2; queueId++) total += (await runtime.broker.pull({ topic, queueId, offset: 0, maxCount: 100, maxBytes: 1 << 20 })).messages.length;
    return total;
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-amqp-txn-'));
    runtime = createBroker({ broker: { dataDir, logLevel: 'silent', defaultQueueCount: 2, maxMessageBytes: 600, autoCreateTopics: false }, plugins: [memoryStoragePlugin, coordinationLocalPlugin] });
    await runtime.start();
    for (const name of ['a', 'b']) await runtime.broker.topics.create({ name, writeQueueCount: 2 });
    counted = [];
    transactions = new ConnectionTransactions(runtime.broker, 'amqp-1', limits, silent, { transaction: (event) => void counted.push(event) });
  });

  afterEach(async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the transfers of a committed transaction on all their topics, then applies its outcomes', async () => {
    const log: string[] = [];
    const txn = transactions.declare(owner);
    transactions.enlistSend(txn, message('a', 'a1'));
    transactions.enlistSend(txn, message('b', 'b1'));
    transactions.enlistSettlement(txn, recordingSettlement(log, 'm1'));
    expect([await count('a'), await count('b')]).toEqual([0, 0]);
    await transactions.discharge(txn, false);
    expect([await count('a'), await count('b')]).toEqual([1, 1]);
    expect(log).toEqual(['m1:commit']);
    await expect(transactions.discharge(txn, false)).rejects.toMatchObject({ condition: 'amqp:transaction:unknown-id' });
    expect(counted).toEqual(['declared', 'committed']);
  });

  it('stores nothing when the kernel refuses any message of the commit, and releases its outcomes', async () => {
    const log: string[] = [];
    const txn = transactions.declare(owner);
    transactions.enlistSend(txn, message('a', 'a1'));
    transactions.enlistSend(txn, message('b', 'b1'));
    transactions.enlistSettlement(txn, recordingSettlement(log, 'm1'));
    await runtime.broker.deleteTopic('b');
    await expect(transactions.discharge(txn, false)).rejects.toMatchObject({
      condition: 'amqp:transaction:rollback',
      message: expect.stringContaining('"b"'),
    });
    expect(await count('a')).toBe(0);
    expect(log).toEqual(['m1:rollback']);
    expect(counted).toEqual(['declared', 'rolledBack']);
  });

  it('rolls back a transaction whose work was refused, even when asked to commit', async () => {
    const log: string[] = [];
    const txn = transactions.declare(owner);
    transactions.enlistSend(txn, message('a', 'a1'));
    transactions.enlistSettlement(txn, recordingSettlement(log, 'm1'));
    transactions.fail(txn, new AmqpRefusal('amqp:invalid-field', 'no `to`'));
    await expect(transactions.discharge(txn, false)).rejects.toMatchObject({ condition: 'amqp:transaction:rollback', message: expect.stringContaining('no `to`') });
    expect(await count('a')).toBe(0);
    expect(log).toEqual(['m1:rollback']);
  });

  it('bounds what transactions hold: message size, bytes per transaction and per connection, transfers per transaction', () => {
    const first = transactions.declare(owner);
    expect(() => transactions.enlistSend(first, message('a', Buffer.alloc(700)))).toThrow(expect.objectContaining({ condition: 'amqp:link:message-size-exceeded' }));
    transactions.enlistSend(first, message('a', Buffer.alloc(500)));
    transactions.enlistSend(first, message('a', Buffer.alloc(450)));
    expect(() => transactions.enlistSend(first, message('a', Buffer.alloc(100)))).toThrow(expect.objectContaining({ condition: 'amqp:resource-limit-exceeded' }));
    const second = transactions.declare(owner);
    transactions.enlistSend(second, message('a', Buffer.alloc(500)));
    expect(() => transactions.enlistSend(second, message('a', Buffer.alloc(100)))).toThrow(
      expect.objectContaining({ condition: 'amqp:resource-limit-exceeded', message: expect.stringContaining('connection') }),
    );
    const third = transactions.declare(owner);
    for (let i = 0; i < limits.maxTransactionMessages; i++) transactions.enlistSettlement(third, recordingSettlement([], `m${i}`));
    expect(() => transactions.enlistSettlement(third, recordingSettlement([], 'one-more'))).toThrow(expect.objectContaining({ condition: 'amqp:resource-limit-exceeded' }));
    transactions.declare(owner);
    expect(() => transactions.declare(owner)).toThrow(expect.objectContaining({ condition: 'amqp:resource-limit-exceeded' }));
  });

  it('frees the bytes of a discharged transaction for the next ones', async () => {
    const first = transactions.declare(owner);
    transactions.enlistSend(first, message('a', Buffer.alloc(500)));
    transactions.enlistSend(first, message('a', Buffer.alloc(450)));
    await transactions.discharge(first, true);
    const second = transactions.declare(owner);
    transactions.enlistSend(second, message('a', Buffer.alloc(500)));
    transactions.enlistSend(second, message('a', Buffer.alloc(450)));
  });

  it('rolls back the transactions of one coordinator link when it goes, and all of them when the connection goes', async () => {
    const log: string[] = [];
    const otherOwner = {};
    const mine = transactions.declare(owner);
    const theirs = transactions.declare(otherOwner);
    transactions.enlistSettlement(mine, recordingSettlement(log, 'mine'));
    transactions.enlistSettlement(theirs, recordingSettlement(log, 'theirs'));
    await transactions.rollbackDeclaredBy(owner);
    expect(log).toEqual(['mine:rollback']);
    await expect(transactions.discharge(mine, false)).rejects.toMatchObject({ condition: 'amqp:transaction:unknown-id' });
    await transactions.rollbackAll();
    expect(log).toEqual(['mine:rollback', 'theirs:rollback']);
    expect(counted).toEqual(['declared', 'declared', 'rolledBack', 'rolledBack']);
  });
});
