import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule, inject, injectable } from 'inversify';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { memoryStoragePlugin } from '@tessera/testing';
import { ConfigError } from '../config/config-error';
import { BrokerProvider } from './broker-provider';
import { MessageHooks, type ProduceContext } from '../hooks/message-hooks';
import { LifecycleContribution } from '../lifecycle/lifecycle-contribution';
import { createLogger } from '../logging/logger';
import { ProtocolAdapter, type Endpoint } from '../protocol/protocol-adapter';
import { UserStore } from '../security/user-store';
import type { AppendMessage } from '../storage/storage-engine';
import type { TesseraPlugin } from '../plugin/tessera-plugin';
import { createBroker, createBrokerFromConfig } from './create-broker';

const silent = createLogger({ level: 'silent' });

function recordingPlugin(events: string[]): TesseraPlugin<{ label: string }> {
  @injectable()
  class RecordingAdapter implements ProtocolAdapter {
    readonly protocol = 'recording';
    async start() {
      events.push('adapter start');
    }
    async stop() {
      events.push('adapter stop');
    }
    endpoints(): Endpoint[] {
      return [{ protocol: 'recording', host: '127.0.0.1', port: 1 }];
    }
  }
  @injectable()
  class RecordingContribution implements LifecycleContribution {
    readonly name = 'recording';
    async onStart() {
      events.push('contribution start');
    }
    async onStop() {
      events.push('contribution stop');
    }
  }
  @injectable()
  class UppercaseHook implements MessageHooks {
    readonly name = 'uppercase';
    onProduce(batch: AppendMessage[], context: ProduceContext) {
      for (const message of batch) message.body = Buffer.from(`${context.protocol}:${message.body.toString().toUpperCase()}`);
    }
  }
  return {
    name: 'recording',
    kind: 'feature',
    optionsSchema: { type: 'object', required: ['label'], properties: { label: { type: 'string' } } },
    createModule: (options) =>
      new ContainerModule(({ bind }) => {
        events.push(`module ${options.label}`);
        bind(ProtocolAdapter).to(RecordingAdapter).inSingletonScope();
        bind(LifecycleContribution).to(RecordingContribution).inSingletonScope();
        bind(MessageHooks).to(UppercaseHook).inSingletonScope();
      }),
  };
}

describe('createBroker', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'tessera-assemble-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts contributions before adapters and stops them in reverse; hooks see every batch', async () => {
    const events: string[] = [];
    const runtime = createBroker({
      broker: { dataDir },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: recordingPlugin(events), options: { label: 'x' } }],
      logger: silent,
    });
    await runtime.start();
    expect(runtime.endpoint('recording').port).toBe(1);
    const [stored] = await runtime.broker.produce([{ topic: 't', body: Buffer.from('hi') }], { protocol: 'test' });
    const read = await runtime.broker.pull({ topic: 't', queueId: stored!.queueId, offset: 0, maxCount: 1, maxBytes: 1024 });
    expect(read.messages[0]!.body.toString()).toBe('test:HI');
    await runtime.stop();
    expect(events).toEqual(['module x', 'contribution start', 'adapter start', 'adapter stop', 'contribution stop']);
  });

  it('gives hooks the broker through BrokerProvider, which they cannot take in their constructor', async () => {
    @injectable()
    class BrokerSeeingHook implements MessageHooks {
      readonly name = 'broker-seeing';
      constructor(@inject(BrokerProvider) readonly broker: BrokerProvider) {}
    }
    const runtime = createBroker({
      broker: { dataDir },
      plugins: [
        memoryStoragePlugin,
        coordinationLocalPlugin,
        { name: 'seeing', kind: 'feature', createModule: () => new ContainerModule(({ bind }) => void bind(MessageHooks).to(BrokerSeeingHook).inSingletonScope()) },
      ],
      logger: silent,
    });
    await runtime.start();
    const hook = runtime.container.getAll<MessageHooks>(MessageHooks).find((h) => h.name === 'broker-seeing') as BrokerSeeingHook;
    expect(hook.broker()).toBe(runtime.broker);
    await runtime.stop();
  });

  it('needs a storage and a coordination plugin', () => {
    expect(() => createBroker({ broker: { dataDir }, plugins: [coordinationLocalPlugin], logger: silent })).toThrow(
      /needs a storage plugin/,
    );
    expect(() => createBroker({ broker: { dataDir }, plugins: [memoryStoragePlugin], logger: silent })).toThrow(
      /needs a coordination plugin/,
    );
  });

  it('refuses a plugin listed twice and names a bad plugin option', () => {
    expect(() =>
      createBroker({ broker: { dataDir }, plugins: [memoryStoragePlugin, memoryStoragePlugin], logger: silent }),
    ).toThrow('plugins.1: plugin "@tessera/memory-storage" is listed twice');
    expect(() =>
      createBroker({
        broker: { dataDir },
        plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: recordingPlugin([]), options: { label: 7 as never } }],
        logger: silent,
      }),
    ).toThrow('plugin recording: plugins.2.options.label must be string');
  });

  it('names a broker setting that is out of range', () => {
    expect(() => createBroker({ broker: { dataDir, defaultQueueCount: 0 }, plugins: [], logger: silent })).toThrow(
      'broker settings: broker.defaultQueueCount must be >= 1',
    );
  });

  it('serves the config file\'s users from the default UserStore, and names a bad security setting', () => {
    const pluginFile = join(dataDir, 'memory-plugin.js');
    writeFileSync(pluginFile, "module.exports = { plugin: require('@tessera/testing').memoryStoragePlugin };");
    const runtime = createBrokerFromConfig(
      {
        broker: { dataDir },
        security: { users: [{ username: 'ops', password: 'pw', permissions: { produce: ['ops.*'], consume: [] } }] },
        plugins: [{ name: '@tessera/coordination-local' }, { name: pluginFile }],
      },
      { logger: silent },
    );
    const users = runtime.container.get<UserStore>(UserStore);
    expect(users.authenticate('ops', 'pw')).toBe(true);
    expect(users.authenticate('ops', 'nope')).toBe(false);
    expect(users.permissionsOf('ops')).toEqual({ produce: ['ops.*'], consume: [] });
    const bad = captureConfigError(() =>
      createBroker({
        broker: { dataDir },
        plugins: [memoryStoragePlugin, coordinationLocalPlugin],
        security: { users: [{ username: '', password: 'pw' }] },
        logger: silent,
      }),
    );
    expect(bad.field).toBe('security.users.0.username');
  });

  it('loads plugins by package name or file path, and names one it cannot load', async () => {
    const pluginFile = join(dataDir, 'memory-plugin.js');
    writeFileSync(pluginFile, "module.exports = { plugin: require('@tessera/testing').memoryStoragePlugin };");
    const runtime = createBrokerFromConfig(
      { broker: { dataDir }, plugins: [{ name: '@tessera/coordination-local' }, { name: pluginFile }] },
      { logger: silent },
    );
    await runtime.start();
    expect(runtime.storage.name).toBe('memory');
    await runtime.stop();
    const missing = captureConfigError(() => createBrokerFromConfig({ plugins: [{ name: '@tessera/no-such-plugin' }] }, { logger: silent }));
    expect(missing.field).toBe('plugins.0.name');
    expect(missing.message).toMatch(/^plugins\.0\.name: cannot load plugin "@tessera\/no-such-plugin"/);
    const notAPlugin = captureConfigError(() => createBrokerFromConfig({ plugins: [{ name: '@tessera/testing' }] }, { logger: silent }));
    expect(notAPlugin.message).toMatch(/"@tessera\/testing" does not export a Tessera plugin/);
  });
});

function captureConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
