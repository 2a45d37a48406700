import { Command } from 'commander';
import { Producer, type Message } from '@tessera/client';
import { runInParallel } from '@tessera/kernel';
import { parseIsoTime } from '../options/parse-iso-time';
import { parsePositiveInteger } from '../options/parse-positive-integer';
import { parseProperty } from '../options/parse-property';
import { serverOption } from '../options/server-option';
import { createProgressBar } from '../output/progress-bar';
import { formatThroughputSummary, summarizeThroughput } from '../output/throughput-summary';
import { planProduce, type ProduceOptions, type ProducePlan } from '../produce/produce-plan';
import { clientAction } from './client-action';

/** Requests kept in flight at once, so one connection's round trips don't bound throughput. */
const MAX_REQUESTS_IN_FLIGHT = 32;

interface ProduceCommandOptions extends ProduceOptions {
  server: string;
  json?: boolean;
}

export function produceCommand(): Command {
  return new Command('produce')
    .description('send messages: one --body, or --count messages of --size bytes')
    .addOption(serverOption())
    .requiredOption('--topic <name>', 'topic to send to')
    .option('--body <text>', 'message body')
    .option('--count <n>', 'how many messages to send (default 1)', (v) => parsePositiveInteger('--count', v))
    .option('--size <bytes>', 'body size of generated messages', (v) => parsePositiveInteger('--size', v))
    .option('--key <key>', 'message key (indexed for lookup)')
    .option('--tag <tag>', 'message tag')
    .option('--property <key=value>', 'a message property (repeatable)', parseProperty)
    .option('--batch <n>', 'messages per batch request (default 1: one by one)', (v) => parsePositiveInteger('--batch', v))
    .option('--delay-level <n>', "deliver after the broker's delay level N (1 = 1s, 2 = 5s, … 18 = 2h by default)", (v) =>
      parsePositiveInteger('--delay-level', v),
    )
    .option('--delay-ms <n>', 'deliver this many ms after the broker stores the message', (v) => parsePositiveInteger('--delay-ms', v, 0))
    .option('--deliver-at <iso>', 'deliver at this time (ISO 8601 with a zone, e.g. 2030-01-01T12:00:00Z)', (v) => parseIsoTime('--deliver-at', v))
    .option('--json', 'print the summary as one JSON object')
    .action(clientAction((options: ProduceCommandOptions) => produce(options)));
}

async function produce(options: ProduceCommandOptions): Promise<void> {
  const plan = planProduce(options);
  const producer = new Producer({ server: options.server });
  await producer.start();
  const progress = createProgressBar('produce', plan.count);
  const startedAt = Date.now();
  let elapsedMs: number;
  try {
    const requestCount = Math.ceil(plan.count / plan.batchSize);
    await runInParallel(requestCount, MAX_REQUESTS_IN_FLIGHT, async (request) => {
      const size = Math.min(plan.batchSize, plan.count - request * plan.batchSize);
      if (plan.batchSize === 1) await producer.send(messageOf(plan));
      else await producer.sendBatch(Array.from({ length: size }, () => messageOf(plan)));
      progress.increment(size);
    });
    elapsedMs = Date.now() - startedAt;
  } finally {
    progress.stop();
    await producer.shutdown();
  }
  const summary = summarizeThroughput(plan.count, plan.count * plan.body.length, elapsedMs);
  console.log(formatThroughputSummary('produced', summary, options.json === true));
}

function messageOf(plan: ProducePlan): Message {
  return { topic: plan.topic, body: plan.body, tag: plan.tag, keys: plan.keys, properties: plan.properties, ...plan.delay };
}
