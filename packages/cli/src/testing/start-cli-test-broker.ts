import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime, type PluginUse, type TesseraPlugin } from '@tessera/kernel';
import { protocolNativePlugin } from '@tessera/protocol-native';
import { storeCommitlogPlugin } from '@tessera/store-commitlog';

export interface CliTestBroker {
  runtime: BrokerRuntime;
  /** `host:port` of its native endpoint, for `--server`. */
  server: string;
  stop(): Promise<void>;
}

/** A commitlog broker in this process on a free 127.0.0.1 port and a temp data dir, for the CLI's specs. */
export async function startCliTestBroker(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  extraPlugins: ReadonlyArray<TesseraPlugin<any> | PluginUse<any>> = [],
): Promise<CliTestBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  const runtime = createBroker({
    broker: { dataDir, logLevel: 'silent' },
    plugins: [storeCommitlogPlugin, coordinationLocalPlugin, { plugin: protocolNativePlugin, options: { host: '127.0.0.1', port: 0 } }, ...extraPlugins],
  });
  await runtime.start();
  return {
    runtime,
    server: `127.0.0.1:${runtime.endpoint('native').port}`,
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
