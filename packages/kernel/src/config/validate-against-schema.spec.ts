import { validateAgainstSchema } from './validate-against-schema';

describe('validateAgainstSchema', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    properties: { port: { type: 'integer', default: 10911 }, mode: { enum: ['SYNC', 'ASYNC'] } },
  };

  it('applies defaults in place', () => {
    const options: Record<string, unknown> = {};
    validateAgainstSchema(schema, options, 'plugins.1.options', 'plugin x');
    expect(options.port).toBe(10911);
  });

  it('names the plugin option that is wrong', () => {
    expect(() => validateAgainstSchema(schema, { mode: 'FAST' }, 'plugins.1.options', 'plugin x')).toThrow(
      'plugin x: plugins.1.options.mode must be one of "SYNC", "ASYNC"',
    );
  });
});
