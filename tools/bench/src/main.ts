import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { parseBenchOptions } from './options/bench-options';
import { formatAmqpResultsTable } from './report/format-amqp-results-table';
import { formatDelayResultsTable } from './report/format-delay-results-table';
import { formatGroupResultsTable } from './report/format-group-results-table';
import { formatMqttResultsTable } from './report/format-mqtt-results-table';
import { formatResultsTable } from './report/format-results-table';
import { writeResultsFile } from './report/write-results-file';
import { runAmqpBench } from './run-amqp-bench';
import { runDelayBench } from './run-delay-bench';
import { runGroupBench } from './run-group-bench';
import { runMqttBench } from './run-mqtt-bench';
import { runNativeBench } from './run-native-bench';

const RESULTS_DIR = join(resolve(__dirname, '..', '..', '..'), 'bench-results');

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  if (options.suite === 'delay') {
    const results = await runDelayBench(options, log);
    console.log(formatDelayResultsTable(results));
    console.log(`\nfigures written to ${writeResultsFile(RESULTS_DIR, results)}`);
  } else if (options.suite === 'group') {
    const results = await runGroupBench(options, log);
    console.log(formatGroupResultsTable(results));
    console.log(`\nfigures written to ${writeResultsFile(RESULTS_DIR, results)}`);
  } else if (options.suite === 'mqtt') {
    const results = await runMqttBench(options, log);
    console.log(formatMqttResultsTable(results));
    console.log(`\nfigures written to ${writeResultsFile(RESULTS_DIR, results)}`);
  } else if (options.suite === 'amqp') {
    const results = await runAmqpBench(options, log);
    console.log(formatAmqpResultsTable(results));
    console.log(`\nfigures written to ${writeResultsFile(RESULTS_DIR, results)}`);
  } else {
    const results = await runNativeBench(options, log);
    console.log(formatResultsTable(results));
    console.log(`\nfigures written to ${writeResultsFile(RESULTS_DIR, results)}`);
  }
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
