import { CommanderError } from 'commander';
import { createProgram } from './create-program';

describe('createProgram', () => {
  it('offers start, topic, produce, consume and group', () => {
    expect(createProgram().commands.map((c) => c.name())).toEqual(['start', 'topic', 'produce', 'consume', 'group', 'dlq', 'message']);
  });

  it('parses start flags, checking the port and flush mode', () => {
    const program = createProgram();
    const start = program.commands.find((c) => c.name() === 'start')!;
    start.action(() => undefined);
    program.parse(['start', '--data-dir', '/tmp/d', '--port', '0', '--flush', 'ASYNC'], { from: 'user' });
    expect(start.opts()).toEqual({ dataDir: '/tmp/d', port: 0, flush: 'ASYNC' });
    start.configureOutput({ writeErr: () => undefined });
    expect(() => program.parse(['start', '--flush', 'SOMETIMES'], { from: 'user' })).toThrow(/Allowed choices are SYNC, ASYNC/);
    expect(() => program.parse(['start', '--port', 'http'], { from: 'user' })).toThrow('--port must be a whole number');
  });

  it('throws parse errors of subcommands as CommanderError rather than exiting', () => {
    const program = createProgram();
    const describe = program.commands.find((c) => c.name() === 'group')!.commands.find((c) => c.name() === 'describe')!;
    describe.configureOutput({ writeErr: () => undefined });
    expect(() => program.parse(['group', 'describe'], { from: 'user' })).toThrow(CommanderError);
  });
});
