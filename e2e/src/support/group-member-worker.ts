import 'reflect-metadata';
import { closeSync, openSync, writeSync } from 'node:fs';
import { PushConsumer, type ReceivedMessage } from '@tessera/client';

/** What the test passes to a member process (as one JSON argument). */
export interface GroupMemberWorkerConfig {
  server: string;
  group: string;
  topic: string;
  clientId: string;
  consumeMode: 'CONCURRENT' | 'ORDERLY';
  allocationStrategy?: string;
  /** Every processed message is appended here as one line (see GroupMemberRecord). */
  logFile: string;
  /** Simulated work per listener call, so a run lasts long enough for members to come and go. */
  workMs: number;
  consumeBatchSize: number;
  heartbeatIntervalMs: number;
}

/**
 * A consumer-group member in its own process, so a test can SIGKILL it. Each processed message
 * is written to the log file (one write per listener call) before the listener returns SUCCESS,
 * so a line exists for everything the member may have committed. SIGTERM shuts down gracefully.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as GroupMemberWorkerConfig;
  const fd = openSync(config.logFile, 'a');
  const consumer = new PushConsumer({
    server: config.server,
    group: config.group,
    topic: config.topic,
    clientId: config.clientId,
    consumeFrom: 'earliest',
    consumeMode: config.consumeMode,
    allocationStrategy: config.allocationStrategy,
    consumeBatchSize: config.consumeBatchSize,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    listener: async (messages: ReceivedMessage[]) => {
      if (config.workMs > 0) await new Promise((resolve) => setTimeout(resolve, config.workMs));
      const at = (performance.timeOrigin + performance.now()).toFixed(3);
      let lines = '';
      for (const m of messages) lines += `${config.clientId} ${m.queueId} ${m.queueOffset} ${m.properties.key ?? '-'} ${m.properties.seq} ${at}\n`;
      writeSync(fd, lines);
      return 'SUCCESS' as const;
    },
  });
  consumer.on('error', (error: Error) => process.stderr.write(`${config.clientId}: ${error.message}\n`));
  await consumer.start();
  process.once('SIGTERM', () => {
    consumer
      .shutdown()
      .catch((error: Error) => process.stderr.write(`${config.clientId}: shutdown failed: ${error.message}\n`))
      .finally(() => {
        closeSync(fd);
        process.exit(0);
      });
  });
  process.stdout.write('ready\n');
}

main().catch((error: Error) => {
  process.stderr.write(`member failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
