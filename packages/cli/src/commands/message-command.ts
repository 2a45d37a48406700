import { Command } from 'commander';
import { CliUsageError } from '../options/cli-usage-error';
import { parseIsoTime } from '../options/parse-iso-time';
import { parsePositiveInteger } from '../options/parse-positive-integer';
import { resolveMessageQuery, type MessageQueryOptions } from '../options/resolve-message-query';
import { serverOption } from '../options/server-option';
import { formatMessageTable } from '../output/format-message-table';
import { formatStoredMessage } from '../output/format-stored-message';
import { clientAction } from './client-action';
import { withAdmin } from './with-admin';

/** The broker answers at most this many messages per query. */
const MAX_QUERY_COUNT = 1024;

interface MessageOptions extends MessageQueryOptions {
  server: string;
  id: string;
  topic: string;
  max: number;
  json?: boolean;
}

export function messageCommand(): Command {
  const message = new Command('message').description('look messages up by id, by key or by store time');
  message
    .command('get')
    .description('print one message: where it is stored, its tag, keys, properties and body')
    .addOption(serverOption())
    .requiredOption('--id <msgId>', 'message id (as the producer got it back)')
    .option('--json', 'print JSON')
    .action(
      clientAction((options: MessageOptions) =>
        withAdmin(options.server, async (admin) => {
          console.log(formatStoredMessage(await admin.getMessageById(options.id), options.json === true));
        }),
      ),
    );
  message
    .command('query')
    .description("list a topic's messages with a key, or stored within a time range")
    .addOption(serverOption())
    .requiredOption('--topic <name>', 'topic')
    .option('--key <key>', 'messages carrying this key')
    .option('--from <iso>', 'stored at or after this ISO 8601 time, e.g. 2025-03-01T12:00:00Z', (v) => parseIsoTime('--from', v))
    .option('--to <iso>', 'stored at or before this ISO 8601 time', (v) => parseIsoTime('--to', v))
    .option('--max <n>', `at most this many messages (up to ${MAX_QUERY_COUNT})`, (v) => parseMaxCount(v), 32)
    .option('--json', 'print JSON, one message per line')
    .action(
      clientAction((options: MessageOptions) => {
        const query = resolveMessageQuery(options);
        return withAdmin(options.server, async (admin) => {
          const messages =
            'key' in query
              ? await admin.queryMessagesByKey(options.topic, query.key, options.max)
              : await admin.queryMessagesByTime(options.topic, query.from, query.to, options.max);
          if (options.json) for (const found of messages) console.log(formatStoredMessage(found, true));
          else for (const line of formatMessageTable(messages)) console.log(line);
        });
      }),
    );
  return message;
}

function parseMaxCount(value: string): number {
  const count = parsePositiveInteger('--max', value);
  if (count > MAX_QUERY_COUNT) throw new CliUsageError(`--max must be at most ${MAX_QUERY_COUNT}, got ${count}`);
  return count;
}
