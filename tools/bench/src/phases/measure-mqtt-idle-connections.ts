import { connect, type Socket } from 'node:net';
import { RssSampler } from './rss-sampler';

export interface MqttIdleLoad {
  connections: number;
  /** Connections being opened at once. */
  concurrency: number;
  /** Time to let the broker settle before its RSS is read. */
  settleMs: number;
}

export interface MqttIdleResult extends MqttIdleLoad {
  opened: number;
  failed: number;
  firstError?: string;
  openSeconds: number;
  rssBeforeMiB: number;
  rssWithConnectionsMiB: number;
}

const CONNACK_TIMEOUT_MS = 10_000;
const KEEPALIVE_SECONDS = 60;
const CONNACK_BYTES = 4;

/**
 * Opens `connections` idle MQTT 3.1.1 connections (clean session, keepalive 60) to the broker
 * `pid` listens for on `port`, `concurrency` at a time, each a bare socket that sent CONNECT and
 * got a CONNACK; reads the broker's RSS with all of them open, then closes them. Bare sockets keep
 * the bench process small, so the figure is the broker's.
 */
export async function measureMqttIdleConnections(port: number, pid: number, load: MqttIdleLoad): Promise<MqttIdleResult> {
  const rss = new RssSampler(pid);
  const rssBeforeMiB = rss.currentMiB();
  const sockets: Socket[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const startedAt = Date.now();
  const opener = async () => {
    while (next < load.connections) {
      const index = next++;
      try {
        sockets.push(await openIdleConnection(port, `idle-${pid}-${index}`));
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: load.concurrency }, opener));
    const openSeconds = (Date.now() - startedAt) / 1000;
    await new Promise((resolve) => setTimeout(resolve, load.settleMs));
    return { ...load, opened: sockets.length, failed, firstError, openSeconds, rssBeforeMiB, rssWithConnectionsMiB: rss.currentMiB() };
  } finally {
    sockets.forEach((socket) => socket.destroy());
  }
}

function openIdleConnection(port: number, clientId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`no CONNACK within ${CONNACK_TIMEOUT_MS} ms`)), CONNACK_TIMEOUT_MS);
    socket.once('error', fail);
    socket.once('connect', () => socket.write(encodeConnect(clientId)));
    let reply = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]); // a CONNACK may arrive split across reads
      if (reply.length < CONNACK_BYTES) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', fail);
      socket.on('error', () => undefined); // a reset after the measurement is not a failure
      if (reply[0] === 0x20 && reply[3] === 0) resolve(socket);
      else fail(new Error(`CONNECT refused: ${reply.subarray(0, CONNACK_BYTES).toString('hex')}`));
    };
    socket.on('data', onData);
  });
}

/** An MQTT 3.1.1 CONNECT: clean session, keepalive 60, no will, no credentials. */
function encodeConnect(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, KEEPALIVE_SECONDS]);
  const remaining = variable.length + 2 + id.length; // < 128: one length byte
  return Buffer.concat([Buffer.from([0x10, remaining]), variable, Buffer.from([id.length >> 8, id.length & 0xff]), id]);
}
