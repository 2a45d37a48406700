import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime, type BrokerSettings } from '@tessera/kernel';
import { protocolNativePlugin, type NativeProtocolOptions } from '@tessera/protocol-native';
import { memoryStoragePlugin } from '@tessera/testing';

export interface TestBroker {
  runtime: BrokerRuntime;
  /** `127.0.0.1:<port>` */
  server: string;
  stop(): Promise<void>;
}

/** An in-process broker on the memory engine, listening on a free loopback port. */
export async function startTestBroker(
  options: { broker?: Partial<BrokerSettings>; native?: Partial<NativeProtocolOptions> } = {},
): Promise<TestBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-client-'));
  const runtime = createBroker({
    broker: { dataDir, logLevel: 'silent', ...options.broker },
    plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolNativePlugin, options: { port: 0, ...options.native } }],
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
