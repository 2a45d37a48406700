import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { consumeCommand } from '../commands/consume-command';
import { produceCommand } from '../commands/produce-command';
import { startCommand } from '../commands/start-command';
import { topicCommand } from '../commands/topic-command';

/** The `tessera` command line. */
export function createProgram(): Command {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return new Command('tessera')
    .description('Tessera message broker: run a broker, manage topics, produce and consume')
    .version(version)
    .showHelpAfterError()
    .addCommand(startCommand())
    .addCommand(topicCommand())
    .addCommand(produceCommand())
    .addCommand(consumeCommand());
}
