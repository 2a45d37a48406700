import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { featureRetryPlugin } from '@tessera/feature-retry';
import { createBroker, type BrokerRuntime } from '@tessera/kernel';
import { AmqpTestClient, type AmqpTestClientOptions, AmqpTestController, memoryStoragePlugin, metricValue, metricValuesByLabel } from '@tessera/testing';
import { AMQP_PROTOCOL_HEADER, SASL_PROTOCOL_HEADER } from './amqp-connection-guard';
import type { AmqpProtocolOptions } from './amqp-protocol-options';
import { protocolAmqpPlugin } from './protocol-amqp-plugin';

const WAIT_MS = 5_000;
jest.setTimeout(6 * WAIT_MS);

const ALICE = { username: 'alice', password: 'secret' };
const AMQP_0_9_1_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x00, 0x00, 0x09, 0x01]);
const HTTP_REQUEST = Buffer.from('GET / HTTP/1.1\r\n\r\n', 'latin1');

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A frame header claiming `size` bytes (doff 2, AMQP frame, channel 0), followed by `body`. */
function frame(size: number, body = Buffer.alloc(0)): Buffer {
  const header = Buffer.from([0, 0, 0, 0, 2, 0, 0, 0]);
  header.writeUInt32BE(size, 0);
  return Buffer.concat([header, body]);
}

describe('AMQP metrics (in-process broker, real clients, read from the registry)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let clients: AmqpTestClient[];
  let sockets: Socket[];

  async function start(options: Partial<AmqpProtocolOptions> = {}): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 2 },
      security: { users: [ALICE] },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, featureRetryPlugin, { plugin: protocolAmqpPlugin, options: { port: 0, ...options } }],
    });
    await runtime.start();
  }

  async function client(options: Partial<AmqpTestClientOptions> = {}): Promise<AmqpTestClient> {
    const connected = await AmqpTestClient.connect({ port: runtime.endpoint('amqp').port, ...options });
    clients.push(connected);
    return connected;
  }

  /** A raw TCP connection that writes `bytes`; resolves once the broker closed it. */
  function raw(bytes: Buffer): { socket: Socket; closed: Promise<void> } {
    const socket = connectTcp({ host: '127.0.0.1', port: runtime.endpoint('amqp').port }, () => socket.write(bytes));
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.resume();
    return { socket, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
  }

  const value = (name: string, labels: Record<string, string> = {}) => metricValue(runtime.metrics, name, labels);
  const byLabel = (name: string, label: string) => metricValuesByLabel(runtime.metrics, name, label);

  async function open(): Promise<{ connections: number; sessions: number; links: Record<string, number> }> {
    return {
      connections: await value('tessera_amqp_connections'),
      sessions: await value('tessera_amqp_sessions'),
      links: await byLabel('tessera_amqp_links', 'role'),
    };
  }

  async function waitForValue(name: string, labels: Record<string, string>, wanted: number): Promise<void> {
    await waitFor(async () => (await value(name, labels)) === wanted, `${name}${JSON.stringify(labels)} = ${wanted}`);
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-amqp-metrics-'));
    clients = [];
    sockets = [];
  });

  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(clients.map((c) => c.close()));
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts refused connections by reason, and the bytes read and written', async () => {
    await start();
    const failures = () => byLabel('tessera_amqp_connections_failed_total', 'reason');
    expect(await failures()).toEqual({
      not_amqp: 0,
      unsupported_protocol: 0,
      authentication_failed: 0,
      frame_too_large: 0,
      framing_error: 0,
      idle_timeout: 0,
    });

    await raw(AMQP_0_9_1_HEADER).closed;
    await raw(HTTP_REQUEST).closed;
    // Each was answered with the SASL header, and nothing else went either way.
    expect(await value('tessera_amqp_received_bytes_total')).toBe(AMQP_0_9_1_HEADER.length + HTTP_REQUEST.length);
    expect(await value('tessera_amqp_sent_bytes_total')).toBe(2 * SASL_PROTOCOL_HEADER.length);

    await expect(client({ username: ALICE.username, password: 'wrong' })).rejects.toThrow();
    // A frame larger than max-frame-size, once AMQP frames flow; then one too small to hold its header, during SASL.
    raw(Buffer.concat([AMQP_PROTOCOL_HEADER, frame(10 * 1024 * 1024)]));
    await raw(Buffer.concat([SASL_PROTOCOL_HEADER, frame(3)])).closed;
    // A frame of a sound size that rhea cannot decode: no performative, only bytes that are no AMQP type.
    raw(Buffer.concat([AMQP_PROTOCOL_HEADER, frame(16, Buffer.alloc(8, 0xff))]));
    await waitFor(async () => (await failures()).framing_error === 2 && (await failures()).frame_too_large === 1, 'the framing errors');
    expect(await failures()).toEqual({
      not_amqp: 1,
      unsupported_protocol: 1,
      authentication_failed: 1,
      frame_too_large: 1,
      framing_error: 2,
      idle_timeout: 0,
    });
    expect(await value('tessera_amqp_connections_accepted_total')).toBe(0);
    expect(await value('tessera_amqp_received_bytes_total')).toBeGreaterThan(AMQP_0_9_1_HEADER.length + HTTP_REQUEST.length + 16 + 16 + 24);
  });

  it('reads the open connections, sessions and links at scrape, and counts the connections accepted', async () => {
    await start();
    expect(await open()).toEqual({ connections: 0, sessions: 0, links: { sender: 0, receiver: 0 } });

    const alice = await client(ALICE);
    const anonymous = await client();
    expect(await open()).toEqual({ connections: 2, sessions: 0, links: { sender: 0, receiver: 0 } });
    expect(await value('tessera_amqp_connections_accepted_total')).toBe(2);

    // rhea puts all links of a connection on its one default session.
    await alice.openSender('orders');
    await alice.openReceiver('orders');
    await alice.openReceiver('topic://prices');
    await AmqpTestController.open(anonymous);
    expect(await open()).toEqual({ connections: 2, sessions: 2, links: { sender: 2, receiver: 2 } });

    // A refused attach is not an open link.
    await expect(anonymous.openReceiver('bad address!')).rejects.toMatchObject({ condition: 'amqp:invalid-field' });
    expect(await open()).toEqual({ connections: 2, sessions: 2, links: { sender: 2, receiver: 2 } });

    await anonymous.close();
    await waitFor(async () => (await open()).connections === 1, 'the closed connection to go');
    expect(await open()).toEqual({ connections: 1, sessions: 1, links: { sender: 2, receiver: 1 } });
    alice.destroy();
    await waitFor(async () => (await open()).connections === 0, 'the dropped connection to go');
    expect(await open()).toEqual({ connections: 0, sessions: 0, links: { sender: 0, receiver: 0 } });
    expect(await value('tessera_amqp_connections_accepted_total')).toBe(2);
  });

  it('counts a connection closed for silence as idle_timeout, and not one that sends heartbeats', async () => {
    await start({ idleTimeoutMs: 100 });
    const alive = await client();
    const silent = raw(AMQP_PROTOCOL_HEADER);
    await silent.closed;
    expect(await value('tessera_amqp_connections_failed_total', { reason: 'idle_timeout' })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive.connection.is_open()).toBe(true);
    expect(await value('tessera_amqp_connections_failed_total', { reason: 'idle_timeout' })).toBe(1);
    expect(await value('tessera_amqp_connections')).toBe(1);
  });

  it('counts transfers by settlement, deliveries, consumer outcomes, expiries and dead letters', async () => {
    await start({ modifiedRedeliveryDelayMs: 50, deadLetterExpired: true });
    const c = await client();
    const sender = await c.openSender('orders');
    for (const body of ['m1', 'm2', 'm3', 'm4']) expect(await sender.send({ body })).toEqual({ state: 'accepted' });
    const relay = await c.openSender(null);
    expect(await relay.send({ body: 'nowhere' })).toMatchObject({ state: 'rejected', condition: 'amqp:invalid-field' });
    expect(await byLabel('tessera_amqp_messages_received_total', 'outcome')).toEqual({ accepted: 4, rejected: 1, transactional: 0 });

    const receiver = await c.openReceiver('orders', { autoaccept: false });
    const [m1, m2, m3, m4] = await receiver.until(4);
    m1!.delivery.accept();
    m2!.delivery.release();
    m3!.delivery.modified({ delivery_failed: true });
    m4!.delivery.reject({ condition: 'app:bad-order', description: 'no such customer' });
    // m2 comes back at once, m3 after the modified delay.
    for (const again of (await receiver.until(6)).slice(4)) again.delivery.accept();
    await waitForValue('tessera_amqp_messages_dead_lettered_total', { reason: 'rejected' }, 1);
    await waitFor(async () => (await value('tessera_amqp_consumer_outcomes_total', { outcome: 'accepted' })) === 3, 'the last outcomes');
    expect(await byLabel('tessera_amqp_consumer_outcomes_total', 'outcome')).toEqual({ accepted: 3, released: 1, modified: 1, rejected: 1 });
    expect(await value('tessera_amqp_messages_delivered_total')).toBe(6);

    const perishable = await c.openSender('perishable');
    await perishable.send({ body: 'gone-off', ttl: 50 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await c.openReceiver('perishable');
    await waitForValue('tessera_amqp_messages_dead_lettered_total', { reason: 'expired' }, 1);
    expect(await value('tessera_amqp_messages_expired_total')).toBe(1);

    const browsed = await c.openSender('browsed');
    for (const body of ['b1', 'b2']) await browsed.send({ body });
    const browser = await c.openReceiver({ address: 'browsed', distribution_mode: 'copy' });
    await browser.until(2);
    await waitForValue('tessera_amqp_messages_browsed_total', {}, 2);

    expect(await byLabel('tessera_amqp_messages_received_total', 'outcome')).toEqual({ accepted: 7, rejected: 1, transactional: 0 });
    expect(await value('tessera_amqp_messages_delivered_total')).toBe(6);
    expect(await byLabel('tessera_amqp_messages_dead_lettered_total', 'reason')).toEqual({ rejected: 1, expired: 1 });
  });

  it('counts transactions declared, committed and rolled back, and what was sent and settled under them when it happened', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('orders');
    await sender.send({ body: 'to-consume' });
    const controller = await AmqpTestController.open(c);
    const receiver = await c.openReceiver('orders', { autoaccept: false });
    const [delivered] = await receiver.until(1);

    const committed = await controller.declare();
    const transactional = await c.openSender('shipments');
    await controller.sendInTransaction(transactional.link, committed, { body: 'a' });
    await controller.sendInTransaction(transactional.link, committed, { body: 'b' });
    AmqpTestController.settleInTransaction(delivered!.delivery, committed);
    // Held by the transaction: not yet an outcome.
    expect(await value('tessera_amqp_consumer_outcomes_total', { outcome: 'accepted' })).toBe(0);
    await controller.commit(committed);
    expect(await value('tessera_amqp_consumer_outcomes_total', { outcome: 'accepted' })).toBe(1);

    const rolledBack = await controller.declare();
    await controller.sendInTransaction(transactional.link, rolledBack, { body: 'never' });
    await controller.rollback(rolledBack);
    await controller.declare();
    expect(await value('tessera_amqp_transactions_rolled_back_total')).toBe(1);

    // The connection goes with a transaction open: it rolls back.
    await c.close();
    await waitForValue('tessera_amqp_transactions_rolled_back_total', {}, 2);
    expect(await value('tessera_amqp_transactions_declared_total')).toBe(3);
    expect(await value('tessera_amqp_transactions_committed_total')).toBe(1);
    expect(await byLabel('tessera_amqp_messages_received_total', 'outcome')).toEqual({ accepted: 1, rejected: 0, transactional: 3 });
    expect(await value('tessera_amqp_messages_delivered_total')).toBe(1);
  });
});
