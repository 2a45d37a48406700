import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  emptyBodyCodec,
  endTransactionRequestCodec,
  pollTransactionChecksRequestCodec,
  pollTransactionChecksResponseCodec,
  RequestCode,
  type WireTransactionCheck,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import { TesseraClientError } from '../errors/tessera-client-error';
import type { Message } from '../message/message';
import type { SendResult } from '../message/send-result';
import { Producer } from './producer';
import type { LocalTransactionState, TransactionProducerOptions } from './transaction-producer-options';

/** Message properties the broker's transaction plugin reads (the kernel's SystemProperties). */
export const TRANSACTION_PROPERTIES = {
  PREPARED: '__TRAN_PREPARED',
  TRANSACTION_ID: '__TRANSACTION_ID',
  PRODUCER_GROUP: '__PRODUCER_GROUP',
} as const;

const DEFAULT_SERVER = '127.0.0.1:10911';
const STATES: ReadonlySet<unknown> = new Set<LocalTransactionState>(['COMMIT', 'ROLLBACK', 'UNKNOWN']);
const MIN_POLL_BACKOFF_MS = 100;
const MAX_POLL_BACKOFF_MS = 5_000;

export interface TransactionSendResult {
  /** Where the half message was stored: `msgId` is the half's id (the committed message carries it in `__TRAN_HALF_MSG_ID`). */
  sendResult: SendResult;
  transactionId: string;
  /** What the local transaction returned; COMMIT and ROLLBACK were sent to the broker. */
  state: LocalTransactionState;
}

/**
 * Sends transactional messages (RocketMQ's model). `sendMessageInTransaction` stores a half
 * message, which consumers cannot see, runs the local transaction, and tells the broker to commit
 * (the message becomes visible) or roll back. A transaction left UNKNOWN, or whose decision was
 * lost, is checked back later: the broker asks a live producer of the same group, through
 * `checkLocalTransaction`, for as long as it polls (from `start` to `shutdown`).
 *
 * A half message is sent once, without retries: a retried half could outlive its transaction as a
 * second one. If sending the decision fails, the transaction is checked back; the failure is
 * reported as an 'error' event, like failures of the check loop.
 */
export class TransactionProducer<Arg = unknown> extends EventEmitter {
  readonly clientId: string;
  private readonly producer: Producer;
  private readonly connection: BrokerConnection;
  private readonly checkPollMs: number;
  private readonly requestTimeoutMs: number;
  private running = false;
  private checkLoop: Promise<void> | undefined;
  private wakeCheckLoop: (() => void) | undefined;

  constructor(private readonly options: TransactionProducerOptions<Arg>) {
    super();
    if (!options.producerGroup) throw new TesseraClientError('BAD_ARGUMENT', 'a TransactionProducer needs a producerGroup');
    if (typeof options.executeLocalTransaction !== 'function' || typeof options.checkLocalTransaction !== 'function') {
      throw new TesseraClientError('BAD_ARGUMENT', 'a TransactionProducer needs executeLocalTransaction and checkLocalTransaction functions');
    }
    const { executeLocalTransaction: _execute, checkLocalTransaction: _check, clientId, checkPollMs, ...producerOptions } = options;
    this.producer = new Producer({ ...producerOptions, retries: 0 });
    this.requestTimeoutMs = options.sendTimeoutMs ?? 3000;
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: this.requestTimeoutMs });
    this.clientId = clientId ?? `${hostname()}@${process.pid}@${randomBytes(4).toString('hex')}`;
    this.checkPollMs = checkPollMs ?? 10_000;
  }

  /** Connects and starts answering checks. Fails at once when the broker has no transaction plugin. */
  async start(): Promise<void> {
    await Promise.all([this.producer.start(), this.connection.open()]);
    let waiting: WireTransactionCheck[];
    try {
      waiting = await this.pollChecks(0);
    } catch (error) {
      await this.closeConnections();
      throw error;
    }
    this.running = true;
    void this.answerChecks(waiting);
    this.checkLoop = this.runCheckLoop();
  }

  /** Stops answering checks and closes the connections; the broker sends checks to the group's other producers. */
  async shutdown(): Promise<void> {
    this.running = false;
    this.wakeCheckLoop?.();
    await this.closeConnections();
    await this.checkLoop;
  }

  async sendMessageInTransaction(message: Message, arg: Arg): Promise<TransactionSendResult> {
    if (!this.running) throw new TesseraClientError('NOT_STARTED', 'start the TransactionProducer before sending');
    const transactionId = randomUUID();
    const sendResult = await this.producer.send({
      ...message,
      properties: {
        ...message.properties,
        [TRANSACTION_PROPERTIES.PREPARED]: 'true',
        [TRANSACTION_PROPERTIES.TRANSACTION_ID]: transactionId,
        [TRANSACTION_PROPERTIES.PRODUCER_GROUP]: this.options.producerGroup,
      },
    });
    const state = await this.settle(() => this.options.executeLocalTransaction(message, arg));
    if (state !== 'UNKNOWN') {
      await this.endTransaction(transactionId, sendResult.msgId, state, false).catch((error: unknown) => this.reportError(error));
    }
    return { sendResult, transactionId, state };
  }

  private async runCheckLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const checks = await this.pollChecks(this.checkPollMs);
        failures = 0;
        await this.answerChecks(checks);
      } catch (error) {
        if (!this.running) return;
        this.reportError(error);
        failures++;
        await this.pause(Math.min(MAX_POLL_BACKOFF_MS, MIN_POLL_BACKOFF_MS * 2 ** (failures - 1)));
      }
    }
  }

  private async pollChecks(maxWaitMs: number): Promise<WireTransactionCheck[]> {
    const response = await this.connection.request(
      RequestCode.POLL_TRANSACTION_CHECKS,
      pollTransactionChecksRequestCodec,
      { producerGroup: this.options.producerGroup, clientId: this.clientId, maxWaitMs },
      pollTransactionChecksResponseCodec,
      { timeoutMs: maxWaitMs + this.requestTimeoutMs },
    );
    return response.checks;
  }

  private async answerChecks(checks: WireTransactionCheck[]): Promise<void> {
    await Promise.all(
      checks.map(async (check) => {
        const state = await this.settle(() => this.options.checkLocalTransaction(check));
        if (state === 'UNKNOWN') return;
        await this.endTransaction(check.transactionId, check.halfMsgId, state, true).catch((error: unknown) => {
          if (this.running) this.reportError(error);
        });
      }),
    );
  }

  private endTransaction(transactionId: string, halfMsgId: string, decision: LocalTransactionState, fromCheck: boolean): Promise<void> {
    return this.connection.request(
      RequestCode.END_TRANSACTION,
      endTransactionRequestCodec,
      { producerGroup: this.options.producerGroup, transactionId, halfMsgId, decision, fromCheck },
      emptyBodyCodec,
    );
  }

  /** What the application's callback decided; a throw or anything but a state is UNKNOWN (and reported). */
  private async settle(callback: () => LocalTransactionState | Promise<LocalTransactionState>): Promise<LocalTransactionState> {
    try {
      const state = await callback();
      if (STATES.has(state)) return state;
      this.reportError(new TesseraClientError('BAD_ARGUMENT', `a transaction callback returned ${JSON.stringify(state)}, not COMMIT, ROLLBACK or UNKNOWN`));
    } catch (error) {
      this.reportError(error);
    }
    return 'UNKNOWN';
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeCheckLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async closeConnections(): Promise<void> {
    await Promise.all([this.connection.close(), this.producer.shutdown()]);
  }

  private reportError(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
