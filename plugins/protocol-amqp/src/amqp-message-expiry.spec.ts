import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime } from '@tessera/kernel';
import { AmqpTestClient, memoryStoragePlugin } from '@tessera/testing';
import { protocolAmqpPlugin } from './protocol-amqp-plugin';

describe('protocol-amqp message expiry (header ttl, absolute-expiry-time)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let c: AmqpTestClient;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-amqp-expiry-'));
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 1 },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolAmqpPlugin, options: { port: 0 } }],
    });
    await runtime.start();
    c = await AmqpTestClient.connect({ port: runtime.endpoint('amqp').port });
  });

  afterEach(async () => {
    await c.close();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops what expired before a consumer took it, and sends the rest with what is left of their ttl', async () => {
    const sender = await c.openSender('perishable');
    const sentAt = Date.now();
    for (const message of [
      { body: 'short-ttl', ttl: 150 },
      { body: 'long-ttl', ttl: 60_000 },
      { body: 'past-absolute', absolute_expiry_time: new Date(sentAt + 150) },
      { body: 'plain' },
    ]) {
      expect(await sender.send(message)).toEqual({ state: 'accepted' });
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    const receiver = await c.openReceiver('perishable');
    const delivered = await receiver.until(2, 5000);
    expect(delivered.map((d) => d.message.body)).toEqual(['long-ttl', 'plain']);
    const ttl = delivered[0]!.message.ttl!;
    expect(ttl).toBeLessThanOrEqual(60_000 - 400);
    expect(ttl).toBeGreaterThan(50_000);
    expect(delivered[1]!.message.ttl).toBeUndefined();
    expect(await receiver.staysAt(2, 300)).toBe(true);
  });
});
