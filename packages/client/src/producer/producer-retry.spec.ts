import {
  decodeBody,
  getRouteResponseCodec,
  RequestCode,
  ResponseCode,
  sendBatchRequestCodec,
  sendBatchResponseCodec,
  type Frame,
} from '@tessera/wire';
import { BrokerError } from '../errors/broker-error';
import { MessageTooLargeError } from '../errors/message-too-large-error';
import { RequestTimeoutError } from '../errors/request-timeout-error';
import { responseBody, ScriptedBroker, type ScriptedAnswer } from '../testing/scripted-broker';
import { Producer } from './producer';

const route = responseBody(getRouteResponseCodec, { writeQueueCount: 4, readQueueCount: 4, permission: 'rw' });

function queueOf(frame: Frame): number | undefined {
  return decodeBody(sendBatchRequestCodec, frame.body).messages[0]!.queueId;
}

describe('Producer retries', () => {
  let broker: ScriptedBroker;
  let producer: Producer;

  async function start(onSend: (frame: Frame, attempt: number) => ScriptedAnswer, options: { retries?: number; sendTimeoutMs?: number } = {}) {
    let attempt = 0;
    broker = await ScriptedBroker.start((frame) => (frame.header.code === RequestCode.GET_ROUTE ? route : onSend(frame, attempt++)));
    producer = new Producer({ server: broker.address, ...options });
    await producer.start();
  }

  afterEach(async () => {
    await producer.shutdown();
    await broker.stop();
  });

  const sends = () => broker.requests.filter((f) => f.header.code === RequestCode.SEND_BATCH);

  it('retries a busy broker on the next queue', async () => {
    await start((frame, attempt) =>
      attempt < 2
        ? { status: ResponseCode.SYSTEM_BUSY, message: 'busy' }
        : responseBody(sendBatchResponseCodec, { results: [{ msgId: 'ID', queueId: queueOf(frame)!, queueOffset: 7 }] }),
    );
    const result = await producer.send({ topic: 't', body: 'x' });
    const queues = sends().map(queueOf);
    expect(queues).toHaveLength(3);
    expect(queues[1]).toBe((queues[0]! + 1) % 4);
    expect(queues[2]).toBe((queues[1]! + 1) % 4);
    expect(result).toEqual({ msgId: 'ID', topic: 't', queueId: queues[2], queueOffset: 7 });
  });

  it('gives up after `retries` extra attempts with the last error', async () => {
    await start(() => ({ status: ResponseCode.SYSTEM_BUSY, message: 'still busy' }), { retries: 1 });
    await expect(producer.send({ topic: 't', body: 'x' })).rejects.toMatchObject({ code: 'SYSTEM_BUSY', message: 'still busy' });
    expect(sends()).toHaveLength(2);
  });

  it('retries a timeout', async () => {
    await start(
      (frame, attempt) => (attempt === 0 ? 'silence' : responseBody(sendBatchResponseCodec, { results: [{ msgId: 'ID', queueId: queueOf(frame)!, queueOffset: 0 }] })),
      { sendTimeoutMs: 100 },
    );
    await expect(producer.send({ topic: 't', body: 'x' })).resolves.toMatchObject({ msgId: 'ID' });
    expect(sends()).toHaveLength(2);
  });

  it('never retries MESSAGE_TOO_LARGE or NO_PERMISSION', async () => {
    await start((_, attempt) =>
      attempt === 0 ? { status: ResponseCode.MESSAGE_TOO_LARGE, message: 'too big' } : { status: ResponseCode.NO_PERMISSION, message: 'read-only' },
    );
    await expect(producer.send({ topic: 't', body: 'x' })).rejects.toBeInstanceOf(MessageTooLargeError);
    const denied = await producer.send({ topic: 't', body: 'x' }).catch((e) => e);
    expect(denied).toBeInstanceOf(BrokerError);
    expect(denied.code).toBe('NO_PERMISSION');
    expect(sends()).toHaveLength(2);
  });

  it('keeps a caller-chosen queue on retry', async () => {
    await start((_, attempt) =>
      attempt === 0 ? 'silence' : responseBody(sendBatchResponseCodec, { results: [{ msgId: 'ID', queueId: 2, queueOffset: 0 }] }),
      { sendTimeoutMs: 100 },
    );
    await producer.sendBatch([{ topic: 't', body: 'x' }], { queueId: 2 });
    expect(sends().map(queueOf)).toEqual([2, 2]);
  });

  it('surfaces RequestTimeoutError when every attempt times out', async () => {
    await start(() => 'silence', { sendTimeoutMs: 50, retries: 1 });
    await expect(producer.send({ topic: 't', body: 'x' })).rejects.toBeInstanceOf(RequestTimeoutError);
  });
});
