import { Command, Option } from 'commander';
import { BrokerError, isRetriableError, PushConsumer } from '@tessera/client';
import { formatReceivedMessage } from '../consume/format-received-message';
import { parsePositiveInteger } from '../options/parse-positive-integer';
import { parsePositiveSeconds } from '../options/parse-positive-seconds';
import { serverOption } from '../options/server-option';
import { createProgressBar } from '../output/progress-bar';
import { EXIT_FAILURE } from '../output/report-failure';
import { formatThroughputSummary, summarizeThroughput } from '../output/throughput-summary';
import { clientAction } from './client-action';

interface ConsumeOptions {
  server: string;
  topic: string;
  group: string;
  count?: number;
  from: 'earliest' | 'latest';
  timeout?: number;
  print?: boolean;
  json?: boolean;
  tag?: string;
  sql?: string;
}

type Ending = 'count' | 'timeout' | 'signal' | 'error';

export function consumeCommand(): Command {
  return new Command('consume')
    .description('receive messages as a member of a consumer group (until --count, --timeout or Ctrl-C)')
    .addOption(serverOption())
    .requiredOption('--topic <name>', 'topic to consume')
    .requiredOption('--group <name>', 'consumer group')
    .option('--count <n>', 'exit once this many messages arrived', (v) => parsePositiveInteger('--count', v))
    .addOption(new Option('--from <where>', 'where a group without committed offsets starts').choices(['earliest', 'latest']).default('earliest'))
    .option('--timeout <seconds>', 'give up after this long (exit code 1 if --count was not reached)', (v) => parsePositiveSeconds('--timeout', v))
    .addOption(new Option('--tag <expression>', "only messages with one of these tags, e.g. 'TagA || TagB' (filtered by the broker)").conflicts('sql'))
    .option('--sql <expression>', "only messages whose properties match this SQL92 filter, e.g. \"region = 'eu' AND price > 10\" (TAGS is the tag)")
    .option('--print', 'print each message on one line')
    .option('--json', 'print messages and the summary as JSON')
    .action(clientAction((options: ConsumeOptions) => consume(options)));
}

async function consume(options: ConsumeOptions): Promise<number> {
  const json = options.json === true;
  let received = 0;
  let bytes = 0;
  let failure: unknown;
  let end!: (ending: Ending) => void;
  const ended = new Promise<Ending>((resolve) => (end = resolve));
  const progress = createProgressBar('consume', options.count);
  const consumer = new PushConsumer({
    server: options.server,
    group: options.group,
    topic: options.topic,
    consumeFrom: options.from,
    tagExpression: options.tag,
    sqlExpression: options.sql,
    consumeBatchSize: 1,
    listener: async (messages) => {
      // Past --count the command is leaving: hand the message back rather than take it unreported.
      if (options.count !== undefined && received >= options.count) return 'RECONSUME_LATER';
      for (const message of messages) {
        received++;
        bytes += message.body.length;
        if (options.print) console.log(formatReceivedMessage(message, json));
      }
      progress.increment(messages.length);
      if (options.count !== undefined && received >= options.count) end('count');
      return 'SUCCESS';
    },
  });
  consumer.on('error', (error: unknown) => {
    // The consumer recovers from transport trouble by itself; a refusal by the broker is final.
    if (error instanceof BrokerError && !isRetriableError(error)) {
      failure = error;
      end('error');
    } else {
      process.stderr.write(`tessera: warning: ${(error as Error).message ?? String(error)}\n`);
    }
  });
  const stopOnSignal = () => end('signal');
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  // Messages can arrive before start() resolves, so the clock starts first.
  const startedAt = Date.now();
  await consumer.start();
  const timer = options.timeout !== undefined ? setTimeout(() => end('timeout'), options.timeout) : undefined;
  const ending = await ended;
  const elapsedMs = Date.now() - startedAt;
  clearTimeout(timer);
  progress.stop();
  await consumer.shutdown();
  console.log(formatThroughputSummary('consumed', summarizeThroughput(received, bytes, elapsedMs), json));
  if (ending === 'error') throw failure;
  if (ending === 'timeout' && options.count !== undefined) {
    process.stderr.write(`tessera: timed out after ${options.timeout! / 1000} s with ${received} of ${options.count} messages\n`);
    return EXIT_FAILURE;
  }
  return 0;
}
