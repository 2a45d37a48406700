import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadConfigFile, parseConfig } from './load-config-file';

describe('loadConfigFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads JSON and YAML alike', () => {
    const json = join(dir, 'tessera.config.json');
    writeFileSync(json, JSON.stringify({ broker: { brokerName: 'b1' }, plugins: [{ name: '@tessera/store-commitlog' }] }));
    const yaml = join(dir, 'tessera.config.yaml');
    writeFileSync(yaml, 'broker:\n  brokerName: b1\nplugins:\n  - name: "@tessera/store-commitlog"\n');
    expect(loadConfigFile(json)).toEqual(loadConfigFile(yaml));
  });

  it('names the field with a wrong type', () => {
    expect(() => parseConfig('{"broker":{"defaultQueueCount":"eight"}}', 'tessera.config.json')).toThrow(
      'tessera.config.json: broker.defaultQueueCount must be integer',
    );
  });

  it('names an unknown setting', () => {
    expect(() => parseConfig('{"broker":{"dataDirectory":"x"}}', 'c.json')).toThrow('c.json: broker.dataDirectory is not a known setting');
  });

  it('names a missing required field', () => {
    const error = captureError(() => parseConfig('{"plugins":[{"options":{}}]}', 'c.json'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('c.json: plugins.0.name is required');
    expect(error.field).toBe('plugins.0.name');
  });

  it('reports a syntax error and an unreadable file clearly', () => {
    expect(() => parseConfig('{"broker":', 'c.json')).toThrow(/c\.json: not valid json/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read config file \(ENOENT\)/);
  });

  it('refuses a config that is not an object', () => {
    expect(() => parseConfig('[1,2]', 'c.json')).toThrow('c.json: the config must be an object with "broker" and "plugins"');
  });
});

function captureError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected an error');
}
