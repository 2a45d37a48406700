import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { consumeCommand } from '../commands/consume-command';
import { dlqCommand } from '../commands/dlq-command';
import { groupCommand } from '../commands/group-command';
import { messageCommand } from '../commands/message-command';
import { produceCommand } from '../commands/produce-command';
import { startCommand } from '../commands/start-command';
import { topicCommand } from '../commands/topic-command';

/**
 * The `tessera` command line. Parse errors are thrown as CommanderError (after commander printed
 * them) rather than exiting, so the caller picks the exit code (see reportFailure).
 */
export function createProgram(): Command {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const program = new Command('tessera')
    .description('Tessera message broker: run a broker, manage topics and consumer groups, produce and consume')
    .version(version)
    .showHelpAfterError()
    .addCommand(startCommand())
    .addCommand(topicCommand())
    .addCommand(produceCommand())
    .addCommand(consumeCommand())
    .addCommand(groupCommand())
    .addCommand(dlqCommand())
    .addCommand(messageCommand());
  throwParseErrors(program);
  return program;
}

function throwParseErrors(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) throwParseErrors(sub);
}
