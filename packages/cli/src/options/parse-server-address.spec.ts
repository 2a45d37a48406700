import { parseServerAddress } from './parse-server-address';

describe('parseServerAddress', () => {
  it('accepts host:port', () => {
    expect(parseServerAddress('127.0.0.1:10911')).toBe('127.0.0.1:10911');
    expect(parseServerAddress(' localhost:80 ')).toBe('localhost:80');
  });

  it('refuses a missing host, a missing or bad port, and port 0', () => {
    expect(() => parseServerAddress('10911')).toThrow('--server must be host:port');
    expect(() => parseServerAddress(':10911')).toThrow('--server must be host:port');
    expect(() => parseServerAddress('127.0.0.1:')).toThrow('--server port must be a whole number');
    expect(() => parseServerAddress('127.0.0.1:70000')).toThrow('between 0 and 65535');
    expect(() => parseServerAddress('127.0.0.1:0')).toThrow('needs a real port');
  });
});
