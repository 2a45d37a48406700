import { Command } from 'commander';
import { Admin, Producer, PullConsumer, type ReceivedMessage } from '@tessera/client';
import { deadLetterTopicOf } from '@tessera/feature-retry';
import { deadLetterPages } from '../dlq/dead-letter-pages';
import { deadLetterSummaryOf, type DeadLetterSummary } from '../dlq/dead-letter-summary';
import { resendMessageOf } from '../dlq/resend-message-of';
import { CliUsageError } from '../options/cli-usage-error';
import { parsePositiveInteger } from '../options/parse-positive-integer';
import { serverOption } from '../options/server-option';
import { formatDeadLetterSummary } from '../output/format-dead-letter-summary';
import { formatStoredMessage } from '../output/format-stored-message';
import { EXIT_FAILURE } from '../output/report-failure';
import { clientAction } from './client-action';
import { withAdmin } from './with-admin';

const DEFAULT_LIST_MAX = 100;
const PAGE_SIZE = 32;

interface DlqOptions {
  server: string;
  group: string;
  max?: number;
  id?: string;
  all?: boolean;
  json?: boolean;
}

export function dlqCommand(): Command {
  const dlq = new Command('dlq').description(
    "inspect a consumer group's dead letters (messages that failed past maxReconsumeTimes) and send them back",
  );
  dlq
    .command('list')
    .description('list dead letters, oldest first: id, original topic, origin id, failures, last reason, store time')
    .addOption(serverOption())
    .requiredOption('--group <name>', 'consumer group')
    .option('--max <n>', `list at most this many (default ${DEFAULT_LIST_MAX})`, (v) => parsePositiveInteger('--max', v))
    .option('--json', 'print JSON')
    .action(clientAction((options: DlqOptions) => list(options)));
  dlq
    .command('show')
    .description('show one dead letter in full: every field, property and the body')
    .addOption(serverOption())
    .requiredOption('--group <name>', 'consumer group')
    .requiredOption('--id <msgId>', 'dead letter id (from dlq list)')
    .option('--json', 'print JSON')
    .action(
      clientAction((options: DlqOptions) =>
        withAdmin(options.server, async (admin) => {
          const message = await deadLetter(admin, options.group, options.id!);
          console.log(formatStoredMessage(message, options.json === true));
        }),
      ),
    );
  dlq
    .command('resend')
    .description(
      'send dead letters back to their original topic as new messages (retry and dead-letter markers removed, ' +
        'reconsumeTimes 0) and print their new ids. A dead letter stays in the DLQ: resending it again sends it again.',
    )
    .addOption(serverOption())
    .requiredOption('--group <name>', 'consumer group')
    .option('--id <msgId>', 'resend this dead letter')
    .option('--all', 'resend every dead letter the group has now')
    .option('--json', 'print one JSON object per resent message')
    .action(clientAction((options: DlqOptions) => resend(options)));
  return dlq;
}

async function list(options: DlqOptions): Promise<void> {
  const max = options.max ?? DEFAULT_LIST_MAX;
  const summaries: DeadLetterSummary[] = [];
  await withPullConsumer(options.server, async (consumer) => {
    for await (const page of deadLetterPages(consumer, options.group, Math.min(PAGE_SIZE, max))) {
      summaries.push(...page.slice(0, max - summaries.length).map(deadLetterSummaryOf));
      if (summaries.length === max) break;
    }
  });
  if (options.json) console.log(JSON.stringify(summaries));
  else if (summaries.length === 0) console.log(`group ${options.group} has no dead letters`);
  else for (const summary of summaries) console.log(formatDeadLetterSummary(summary));
}

async function resend(options: DlqOptions): Promise<number> {
  if ((options.all === true) === (options.id !== undefined)) throw new CliUsageError('dlq resend needs either --id ID or --all');
  const producer = new Producer({ server: options.server });
  await producer.start();
  let resent = 0;
  let failed = 0;
  const resendOne = async (message: ReceivedMessage): Promise<void> => {
    try {
      const sent = await producer.send(resendMessageOf(message));
      resent++;
      if (options.json) console.log(JSON.stringify({ msgId: message.msgId, topic: sent.topic, newMsgId: sent.msgId }));
      else console.log(`resent ${message.msgId} to ${sent.topic} as ${sent.msgId}`);
    } catch (error) {
      failed++;
      process.stderr.write(`tessera: resending ${message.msgId} failed: ${(error as Error).message}\n`);
    }
  };
  try {
    if (options.id !== undefined) {
      await withAdmin(options.server, async (admin) => resendOne(await deadLetter(admin, options.group, options.id!)));
    } else {
      await withPullConsumer(options.server, async (consumer) => {
        for await (const page of deadLetterPages(consumer, options.group, PAGE_SIZE)) for (const message of page) await resendOne(message);
      });
    }
  } finally {
    await producer.shutdown();
  }
  if (!options.json) console.log(`resent ${resent} dead letter(s) of group ${options.group}${failed > 0 ? `; ${failed} failed` : ''}`);
  return failed > 0 ? EXIT_FAILURE : 0;
}

/** The message, refused unless it is one of the group's dead letters. */
async function deadLetter(admin: Admin, group: string, msgId: string): Promise<ReceivedMessage> {
  const message = await admin.getMessageById(msgId);
  if (message.topic !== deadLetterTopicOf(group)) {
    throw new Error(`message ${msgId} is not a dead letter of group ${group}: it is in topic ${message.topic}`);
  }
  return message;
}

async function withPullConsumer(server: string, use: (consumer: PullConsumer) => Promise<void>): Promise<void> {
  const consumer = new PullConsumer({ server });
  await consumer.start();
  try {
    await use(consumer);
  } finally {
    await consumer.shutdown();
  }
}
