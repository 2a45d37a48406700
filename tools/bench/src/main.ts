import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { parseBenchOptions } from './options/bench-options';
import { formatResultsTable } from './report/format-results-table';
import { writeResultsFile } from './report/write-results-file';
import { runNativeBench } from './run-native-bench';

const RESULTS_DIR = join(resolve(__dirname, '..', '..', '..'), 'bench-results');

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const results = await runNativeBench(options, (line) => process.stderr.write(`bench: ${line}\n`));
  console.log(formatResultsTable(results));
  console.log(`\nfigures written to ${writeResultsFile(RESULTS_DIR, results)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // Commander already printed its usage error or the help.
    if (error instanceof CommanderError) process.exit(error.exitCode);
    console.error(error);
    process.exit(1);
  },
);
