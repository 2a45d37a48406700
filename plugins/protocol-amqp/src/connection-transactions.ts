import { randomBytes } from 'node:crypto';
import type { Broker, Logger, MessageInput } from '@tessera/kernel';
import type { AmqpMetrics } from './amqp-metrics';
import { AmqpRefusal } from './amqp-refusal';
import { refusalOf } from './publisher-link';

export interface TransactionLimits {
  /** Transactions one connection may have open at once. */
  maxOpenTransactions: number;
  /** Transfers and dispositions one transaction may hold. */
  maxTransactionMessages: number;
  /** Bytes (bodies and properties) of the transfers one transaction may hold. */
  maxTransactionBytes: number;
  /** Bytes all open transactions of one connection may hold together. */
  maxConnectionTransactionBytes: number;
}

/** A consumer's outcome held by a transaction: applied when it commits, undone (released) when it rolls back. */
export interface TransactionalSettlement {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

interface OpenTransaction {
  readonly id: Buffer;
  /** The coordinator link that declared it: the transaction ends with that link. */
  readonly owner: object;
  readonly sends: MessageInput[];
  readonly settlements: TransactionalSettlement[];
  bytes: number;
  /** Work under it was refused: it can only roll back. */
  failure?: AmqpRefusal;
}

/**
 * The local transactions of one AMQP connection (part 4). Transfers sent under a transaction are
 * held in memory, within limits, and produced in one kernel `produce` call when it commits;
 * consumers' outcomes under a transaction are applied when it commits and released when it rolls
 * back. A rollback, an explicit one or the connection or the coordinator link going, leaves no trace.
 */
export class ConnectionTransactions {
  private readonly open = new Map<string, OpenTransaction>();
  private bytes = 0;

  constructor(
    private readonly broker: Broker,
    private readonly clientId: string,
    private readonly limits: TransactionLimits,
    private readonly logger: Logger,
    private readonly metrics: Pick<AmqpMetrics, 'transaction'>,
  ) {}

  declare(owner: object): Buffer {
    if (this.open.size >= this.limits.maxOpenTransactions) {
      throw new AmqpRefusal('amqp:resource-limit-exceeded', `a connection may have at most ${this.limits.maxOpenTransactions} open transactions`);
    }
    const id = randomBytes(8);
    this.open.set(id.toString('hex'), { id, owner, sends: [], settlements: [], bytes: 0 });
    this.metrics.transaction('declared');
    return id;
  }

  /** Holds a transfer until the transaction ends. Throws AmqpRefusal (unknown transaction, limits, size). */
  enlistSend(txnId: Buffer, message: MessageInput): void {
    const transaction = this.require(txnId);
    const size = sizeOf(message);
    if (message.body.length > this.broker.settings.maxMessageBytes) {
      throw new AmqpRefusal(
        'amqp:link:message-size-exceeded',
        `message body of ${message.body.length} bytes exceeds maxMessageBytes ${this.broker.settings.maxMessageBytes}`,
      );
    }
    this.requireRoom(transaction);
    if (transaction.bytes + size > this.limits.maxTransactionBytes) {
      throw new AmqpRefusal('amqp:resource-limit-exceeded', `a transaction may hold at most ${this.limits.maxTransactionBytes} bytes of messages`);
    }
    if (this.bytes + size > this.limits.maxConnectionTransactionBytes) {
      throw new AmqpRefusal(
        'amqp:resource-limit-exceeded',
        `the open transactions of a connection may hold at most ${this.limits.maxConnectionTransactionBytes} bytes of messages`,
      );
    }
    // A copy: the body is a view of the transfer's frame, which may share a larger socket buffer.
    transaction.sends.push({ ...message, body: Buffer.from(message.body) });
    transaction.bytes += size;
    this.bytes += size;
  }

  /** Holds a consumer's outcome until the transaction ends. Throws AmqpRefusal (unknown transaction, limits). */
  enlistSettlement(txnId: Buffer, settlement: TransactionalSettlement): void {
    const transaction = this.require(txnId);
    this.requireRoom(transaction);
    transaction.settlements.push(settlement);
  }

  /** Work under the transaction was refused: a commit will roll it back instead. */
  fail(txnId: Buffer, refusal: AmqpRefusal): void {
    const transaction = this.open.get(txnId.toString('hex'));
    if (transaction && !transaction.failure) transaction.failure = refusal;
  }

  /**
   * Ends a transaction. Commit (`fail` false): its transfers go to the log in one produce call,
   * then its consumers' outcomes apply. Rollback, or a commit that cannot be stored: nothing is
   * produced and the messages consumers settled under it are released. Throws AmqpRefusal:
   * `amqp:transaction:unknown-id`, or `amqp:transaction:rollback` when a commit rolled back.
   */
  async discharge(txnId: Buffer, fail: boolean): Promise<void> {
    const transaction = this.take(txnId);
    if (!transaction) throw unknownTransaction(txnId);
    if (fail) return this.rollback(transaction);
    if (transaction.failure) {
      await this.rollback(transaction);
      throw new AmqpRefusal('amqp:transaction:rollback', `the transaction was rolled back: work under it was refused (${transaction.failure.message})`);
    }
    if (transaction.sends.length > 0) {
      try {
        await this.broker.produce(transaction.sends, { protocol: 'amqp', clientId: this.clientId });
      } catch (error) {
        await this.rollback(transaction);
        throw new AmqpRefusal('amqp:transaction:rollback', `the transaction was rolled back: its messages could not be stored (${refusalOf(error).message})`);
      }
    }
    await Promise.all(
      transaction.settlements.map((settlement) =>
        settlement.commit().catch((error: unknown) => this.logger.warn({ err: error }, 'AMQP transaction: applying a consumer outcome at commit failed')),
      ),
    );
    this.metrics.transaction('committed');
  }

  /** The coordinator link that declared them went: its transactions roll back. */
  rollbackDeclaredBy(owner: object): Promise<void> {
    return this.rollbackWhere((transaction) => transaction.owner === owner);
  }

  /** The connection went: every open transaction rolls back. */
  rollbackAll(): Promise<void> {
    return this.rollbackWhere(() => true);
  }

  private async rollbackWhere(matches: (transaction: OpenTransaction) => boolean): Promise<void> {
    const ending = [...this.open.values()].filter(matches);
    await Promise.all(ending.map((transaction) => this.rollback(this.take(transaction.id)!)));
  }

  private async rollback(transaction: OpenTransaction): Promise<void> {
    this.metrics.transaction('rolledBack');
    await Promise.all(
      transaction.settlements.map((settlement) =>
        settlement.rollback().catch((error: unknown) => this.logger.warn({ err: error }, 'AMQP transaction: releasing a message at rollback failed')),
      ),
    );
  }

  private require(txnId: Buffer): OpenTransaction {
    const transaction = this.open.get(txnId.toString('hex'));
    if (!transaction) throw unknownTransaction(txnId);
    return transaction;
  }

  private requireRoom(transaction: OpenTransaction): void {
    if (transaction.sends.length + transaction.settlements.length >= this.limits.maxTransactionMessages) {
      throw new AmqpRefusal('amqp:resource-limit-exceeded', `a transaction may hold at most ${this.limits.maxTransactionMessages} transfers and outcomes`);
    }
  }

  private take(txnId: Buffer): OpenTransaction | undefined {
    const key = txnId.toString('hex');
    const transaction = this.open.get(key);
    if (!transaction) return undefined;
    this.open.delete(key);
    this.bytes -= transaction.bytes;
    return transaction;
  }
}

function unknownTransaction(txnId: Buffer): AmqpRefusal {
  return new AmqpRefusal('amqp:transaction:unknown-id', `no open transaction 0x${txnId.toString('hex')} on this connection`);
}

/** What a held message costs: its body and properties (an estimate of its memory, not exact). */
function sizeOf(message: MessageInput): number {
  let size = message.body.length + (message.tag?.length ?? 0);
  for (const [name, value] of Object.entries(message.properties ?? {})) size += name.length + value.length;
  return size;
}
