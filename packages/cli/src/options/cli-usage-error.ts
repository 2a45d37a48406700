/** A command line that cannot be run as given; the message says which option is wrong. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
