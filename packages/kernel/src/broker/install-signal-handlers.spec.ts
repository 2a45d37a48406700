import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { memoryStoragePlugin } from '@tessera/testing';
import { createLogger } from '../logging/logger';
import { createBroker } from './create-broker';
import { installSignalHandlers } from './install-signal-handlers';

describe('installSignalHandlers', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'tessera-signal-'))));
  afterEach(() => {
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the broker in order on SIGTERM and exits 0; a second signal exits 130 at once', async () => {
    const runtime = createBroker({
      broker: { dataDir },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    const exits: number[] = [];
    let exited!: () => void;
    const exitedOnce = new Promise<void>((resolve) => (exited = resolve));
    installSignalHandlers(runtime, (code) => {
      exits.push(code);
      exited();
    });
    process.emit('SIGTERM');
    process.emit('SIGINT');
    await exitedOnce;
    await runtime.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([130, 0]);
    expect(runtime.running).toBe(false);
  });
});
