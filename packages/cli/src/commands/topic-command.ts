import { Command, Option } from 'commander';
import { parsePositiveInteger } from '../options/parse-positive-integer';
import { resolveQueueCounts, type QueueCountOptions } from '../options/resolve-queue-counts';
import { serverOption } from '../options/server-option';
import { clientAction } from './client-action';
import { withAdmin } from './with-admin';

const PERMISSIONS = ['rw', 'r', 'w', 'none'] as const;
type Permission = (typeof PERMISSIONS)[number];

interface TopicOptions extends QueueCountOptions {
  server: string;
  topic: string;
  perm?: Permission;
  json?: boolean;
}

export function topicCommand(): Command {
  const topic = new Command('topic').description('create, update, list, describe and delete topics');
  withShapeOptions(topic.command('create').description('create a topic'))
    .action(
      clientAction((options: TopicOptions) =>
        withAdmin(options.server, async (admin) => {
          await admin.createTopic({ name: options.topic, ...resolveQueueCounts(options), permission: options.perm });
          console.log(`created topic ${options.topic}`);
        }),
      ),
    );
  withShapeOptions(topic.command('update').description("change a topic's queue counts or permission"))
    .action(
      clientAction((options: TopicOptions) =>
        withAdmin(options.server, async (admin) => {
          await admin.updateTopic(options.topic, { ...resolveQueueCounts(options), ...(options.perm ? { permission: options.perm } : {}) });
          console.log(`updated topic ${options.topic}`);
        }),
      ),
    );
  topic
    .command('list')
    .description('list topics')
    .addOption(serverOption())
    .option('--json', 'print JSON')
    .action(
      clientAction((options: TopicOptions) =>
        withAdmin(options.server, async (admin) => {
          const topics = await admin.listTopics();
          if (options.json) console.log(JSON.stringify(topics));
          else for (const t of topics) console.log(`${t.name}\twrite=${t.writeQueueCount}\tread=${t.readQueueCount}\tperm=${t.permission}`);
        }),
      ),
    );
  topic
    .command('describe')
    .description("show a topic's config and each queue's offsets")
    .addOption(serverOption())
    .requiredOption('--topic <name>', 'topic name')
    .option('--json', 'print JSON')
    .action(
      clientAction((options: TopicOptions) =>
        withAdmin(options.server, async (admin) => {
          const description = await admin.describeTopic(options.topic);
          if (options.json) {
            console.log(JSON.stringify(description));
            return;
          }
          const { queues, ...config } = description;
          console.log(
            `${config.name}\twrite=${config.writeQueueCount}\tread=${config.readQueueCount}\tperm=${config.permission}`,
          );
          for (const q of queues) console.log(`  queue ${q.queueId}\tmin=${q.minOffset}\tmax=${q.maxOffset}`);
        }),
      ),
    );
  topic
    .command('delete')
    .description('delete a topic')
    .addOption(serverOption())
    .requiredOption('--topic <name>', 'topic name')
    .action(
      clientAction((options: TopicOptions) =>
        withAdmin(options.server, async (admin) => {
          await admin.deleteTopic(options.topic);
          console.log(`deleted topic ${options.topic}`);
        }),
      ),
    );
  return topic;
}

function permissionOption(): Option {
  return new Option('--perm <permission>', 'who may use the topic: rw, r (read only), w (write only) or none').choices(PERMISSIONS);
}

/** The options that shape a topic, shared by `create` and `update`. */
function withShapeOptions(command: Command): Command {
  return command
    .addOption(serverOption())
    .requiredOption('--topic <name>', 'topic name')
    .option('--queues <n>', 'write and read queue count', (v) => parsePositiveInteger('--queues', v))
    .option('--write-queues <n>', 'write queue count', (v) => parsePositiveInteger('--write-queues', v))
    .option('--read-queues <n>', 'read queue count', (v) => parsePositiveInteger('--read-queues', v))
    .addOption(permissionOption());
}
