import { Command } from 'commander';
import { parseIsoTime } from '../options/parse-iso-time';
import { parsePositiveInteger } from '../options/parse-positive-integer';
import { resolveResetTarget, type ResetTargetOptions } from '../options/resolve-reset-target';
import { serverOption } from '../options/server-option';
import { formatGroupDescription } from '../output/format-group-description';
import { formatGroupProgress, totalLag } from '../output/format-group-progress';
import { clientAction } from './client-action';
import { withAdmin } from './with-admin';

interface GroupOptions extends ResetTargetOptions {
  server: string;
  group: string;
  topic?: string;
  json?: boolean;
}

export function groupCommand(): Command {
  const group = new Command('group').description('list and describe consumer groups, show their progress, reset their offsets');
  group
    .command('list')
    .description('list groups with live members or committed offsets')
    .addOption(serverOption())
    .option('--json', 'print JSON')
    .action(
      clientAction((options: GroupOptions) =>
        withAdmin(options.server, async (admin) => {
          const groups = await admin.listGroups();
          if (options.json) console.log(JSON.stringify(groups));
          else for (const name of groups) console.log(name);
        }),
      ),
    );
  group
    .command('describe')
    .description("show a group's members (with their allocation strategy) and which member owns each queue")
    .addOption(serverOption())
    .requiredOption('--group <name>', 'consumer group')
    .option('--topic <name>', 'only this topic (default: every topic the group consumes)')
    .option('--json', 'print JSON')
    .action(
      clientAction((options: GroupOptions) =>
        withAdmin(options.server, async (admin) => {
          const description = await admin.describeGroup(options.group, options.topic);
          if (options.json) console.log(JSON.stringify(description));
          else for (const line of formatGroupDescription(options.group, description)) console.log(line);
        }),
      ),
    );
  group
    .command('progress')
    .description("show a group's committed offset, max offset, lag and owner per queue, and its total lag")
    .addOption(serverOption())
    .requiredOption('--group <name>', 'consumer group')
    .option('--topic <name>', 'only this topic (default: every topic the group consumes)')
    .option('--json', 'print JSON')
    .action(
      clientAction((options: GroupOptions) =>
        withAdmin(options.server, async (admin) => {
          const { queues } = await admin.describeGroup(options.group, options.topic);
          if (options.json) console.log(JSON.stringify({ queues, totalLag: totalLag(queues) }));
          else for (const line of formatGroupProgress(queues)) console.log(line);
        }),
      ),
    );
  group
    .command('reset-offset')
    .description("move a group's offsets on every queue of a topic (running members restart from there)")
    .addOption(serverOption())
    .requiredOption('--group <name>', 'consumer group')
    .requiredOption('--topic <name>', 'topic')
    .option('--to-offset <n>', 'the same offset on every queue (clamped to what each queue holds)', (v) => parsePositiveInteger('--to-offset', v, 0))
    .option('--to-time <iso>', 'the first message stored at or after this ISO 8601 time, e.g. 2025-03-01T12:00:00Z', (v) => parseIsoTime('--to-time', v))
    .option('--json', 'print JSON')
    .action(
      clientAction((options: GroupOptions) => {
        const target = resolveResetTarget(options);
        return withAdmin(options.server, async (admin) => {
          const queues = await admin.resetOffset(options.group, options.topic!, target);
          if (options.json) {
            console.log(JSON.stringify(queues));
            return;
          }
          for (const queue of queues) console.log(`${options.topic}\tqueue ${queue.queueId}\toffset=${queue.offset}`);
          console.log(`reset group ${options.group} on topic ${options.topic}: ${queues.length} queue(s)`);
        });
      }),
    );
  return group;
}
