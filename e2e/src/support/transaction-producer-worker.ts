import 'reflect-metadata';
import { TransactionProducer } from '@tessera/client';

/** What the test passes to a worker process (as one JSON argument). */
export interface TransactionProducerWorkerConfig {
  server: string;
  producerGroup: string;
  topic: string;
  /** One transaction per body, each left UNKNOWN by the local transaction and by every check. */
  bodies: string[];
}

/** One line of the worker's stdout per half message it sent. */
export interface SentHalf {
  body: string;
  transactionId: string;
  halfMsgId: string;
}

/**
 * A transactional producer in its own process, so a test can SIGKILL it between its half
 * messages and their decisions. It prints each half it sent as a JSON line, then `sent`, and
 * keeps polling for checks (answering UNKNOWN) until killed.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as TransactionProducerWorkerConfig;
  const producer = new TransactionProducer({
    server: config.server,
    producerGroup: config.producerGroup,
    executeLocalTransaction: () => 'UNKNOWN',
    checkLocalTransaction: () => 'UNKNOWN',
  });
  producer.on('error', (error: Error) => process.stderr.write(`transaction producer: ${error.message}\n`));
  await producer.start();
  for (const body of config.bodies) {
    const { transactionId, sendResult } = await producer.sendMessageInTransaction({ topic: config.topic, body }, undefined);
    const sent: SentHalf = { body, transactionId, halfMsgId: sendResult.msgId };
    process.stdout.write(`${JSON.stringify(sent)}\n`);
  }
  process.stdout.write('sent\n');
}

main().catch((error: Error) => {
  process.stderr.write(`transaction producer worker failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
