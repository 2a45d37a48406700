import { PassThrough } from 'node:stream';
import { ConfigError } from '@tessera/kernel';
import { CliUsageError } from '../options/cli-usage-error';
import { EXIT_BAD_CONFIG, EXIT_FAILURE, reportFailure } from './report-failure';

function capture(error: unknown): { code: number; text: string } {
  const stream = new PassThrough();
  const code = reportFailure(error, stream);
  return { code, text: String(stream.read()) };
}

describe('reportFailure', () => {
  it('exits 2 for a bad config and prints the field the kernel named', () => {
    const result = capture(new ConfigError('tessera.config.json: plugins.2.options.port must be integer', 'plugins.2.options.port'));
    expect(result.code).toBe(EXIT_BAD_CONFIG);
    expect(result.text).toBe('tessera: invalid configuration: tessera.config.json: plugins.2.options.port must be integer\n');
  });

  it('exits 1 with the message of any other failure', () => {
    expect(capture(new CliUsageError('--count must be a whole number ≥ 1, got "x"'))).toEqual({
      code: EXIT_FAILURE,
      text: 'tessera: --count must be a whole number ≥ 1, got "x"\n',
    });
    expect(capture('plain').text).toBe('tessera: plain\n');
  });
});
