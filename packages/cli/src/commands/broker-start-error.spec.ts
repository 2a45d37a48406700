import { BrokerStartError } from './broker-start-error';

function listenError(code: string): NodeJS.ErrnoException & { address: string; port: number } {
  return Object.assign(new Error(`listen ${code} 127.0.0.1:10911`), { code, address: '127.0.0.1', port: 10911 });
}

describe('BrokerStartError.from', () => {
  it('says which address is in use, even when an adapter wrapped the error', () => {
    const wrapped = new Error('native adapter failed', { cause: listenError('EADDRINUSE') });
    expect(BrokerStartError.from(wrapped).message).toBe(
      'cannot listen on 127.0.0.1:10911: the address is already in use (pick another with --port)',
    );
  });

  it('keeps the message of anything else', () => {
    expect(BrokerStartError.from(new Error('disk gone')).message).toBe('the broker failed to start: disk gone');
    expect(BrokerStartError.from(listenError('EACCES')).message).toContain('permission denied');
  });
});
