import { PassThrough } from 'node:stream';
import { CommanderError } from 'commander';
import { ConfigError } from '@tessera/kernel';
import { CliUsageError } from '../options/cli-usage-error';
import { EXIT_BAD_CONFIG, EXIT_FAILURE, EXIT_USAGE, reportFailure } from './report-failure';

function capture(error: unknown): { code: number; text: string } {
  const stream = new PassThrough();
  const code = reportFailure(error, stream);
  return { code, text: String(stream.read() ?? '') };
}

describe('reportFailure', () => {
  it('exits 2 for a bad config and prints the field the kernel named', () => {
    const result = capture(new ConfigError('tessera.config.json: plugins.2.options.port must be integer', 'plugins.2.options.port'));
    expect(result.code).toBe(EXIT_BAD_CONFIG);
    expect(result.text).toBe('tessera: invalid configuration: tessera.config.json: plugins.2.options.port must be integer\n');
  });

  it('exits 2 for a command line that cannot run as given, with its message', () => {
    expect(capture(new CliUsageError('--count must be a whole number ≥ 1, got "x"'))).toEqual({
      code: EXIT_USAGE,
      text: 'tessera: --count must be a whole number ≥ 1, got "x"\n',
    });
  });

  it("exits 2 for commander's parse errors and 0 for its help, printing nothing more (commander did)", () => {
    expect(capture(new CommanderError(1, 'commander.missingMandatoryOptionValue', "error: required option '--topic <name>' not specified"))).toEqual({
      code: EXIT_USAGE,
      text: '',
    });
    expect(capture(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')).code).toBe(0);
  });

  it('exits 1 with the message of any other failure', () => {
    expect(capture(new Error('cannot connect to 127.0.0.1:10911'))).toEqual({ code: EXIT_FAILURE, text: 'tessera: cannot connect to 127.0.0.1:10911\n' });
    expect(capture('plain').text).toBe('tessera: plain\n');
  });
});
