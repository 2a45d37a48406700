import { decodeBody, getRouteResponseCodec, RequestCode, ResponseCode, sendBatchRequestCodec, sendBatchResponseCodec } from '@tessera/wire';
import { PullConsumer } from '../consumer/pull-consumer';
import { BrokerError } from '../errors/broker-error';
import { MessageTooLargeError } from '../errors/message-too-large-error';
import { responseBody, ScriptedBroker } from '../testing/scripted-broker';
import { startTestBroker, type TestBroker } from '../testing/start-test-broker';
import { Producer } from './producer';

describe('Producer auto-batching', () => {
  describe('against a broker', () => {
    let broker: TestBroker;
    let producer: Producer;
    let reader: PullConsumer;

    beforeEach(async () => {
      broker = await startTestBroker({ broker: { maxMessageBytes: 64 * 1024 } });
      await broker.runtime.broker.topics.create({ name: 'orders', writeQueueCount: 4, readQueueCount: 4 });
      producer = new Producer({ server: broker.server, sendTimeoutMs: 2000 });
      reader = new PullConsumer({ server: broker.server });
      await producer.start();
      await reader.start();
    });

    afterEach(async () => {
      await producer.shutdown();
      await reader.shutdown();
      await broker.stop();
    });

    it('keeps call order per queue and gives each send the position of its own message', async () => {
      const bodies = Array.from({ length: 400 }, (_, i) => `m${i}`);
      const results = await Promise.all(bodies.map((body) => producer.send({ topic: 'orders', body })));
      for (let queueId = 0; queueId < 4; queueId++) {
        const pulled = await reader.pull({ topic: 'orders', queueId, offset: 0, maxCount: 1000 });
        const sentHere = bodies.filter((_, i) => results[i]!.queueId === queueId);
        expect(pulled.messages.map((m) => m.body.toString())).toEqual(sentHere);
        for (const message of pulled.messages) {
          const result = results[bodies.indexOf(message.body.toString())]!;
          expect(result).toEqual({ msgId: message.msgId, topic: 'orders', queueId, queueOffset: message.queueOffset });
        }
      }
    });

    it('fails only the message at fault when the broker refuses a batch for one of them', async () => {
      const sends = ['a', Buffer.alloc(100 * 1024), 'c'].map((body) => producer.send({ topic: 'orders', body, queueId: 2 }).catch((e: unknown) => e));
      const [a, tooLarge, c] = await Promise.all(sends);
      expect(tooLarge).toBeInstanceOf(MessageTooLargeError);
      expect(a).toMatchObject({ queueId: 2, queueOffset: 0 });
      expect(c).toMatchObject({ queueId: 2, queueOffset: 1 });
      const pulled = await reader.pull({ topic: 'orders', queueId: 2, offset: 0 });
      expect(pulled.messages.map((m) => m.body.toString())).toEqual(['a', 'c']);
    });
  });

  describe('on the wire', () => {
    let broker: ScriptedBroker;
    const route = responseBody(getRouteResponseCodec, { writeQueueCount: 2, readQueueCount: 2, permission: 'rw' });
    const sendFrames = () => broker.requests.filter((f) => f.header.code === RequestCode.SEND_BATCH);
    let refuse = false;

    beforeEach(async () => {
      refuse = false;
      let offset = 0;
      broker = await ScriptedBroker.start((frame) => {
        if (frame.header.code === RequestCode.GET_ROUTE) return route;
        if (refuse) return { status: ResponseCode.SYSTEM_ERROR, message: 'disk on fire' };
        const { messages } = decodeBody(sendBatchRequestCodec, frame.body);
        return responseBody(sendBatchResponseCodec, {
          results: messages.map((m) => ({ msgId: `id${offset}`, queueId: m.queueId!, queueOffset: offset++ })),
        });
      });
    });

    afterEach(() => broker.stop());

    async function sendTen(options: { autoBatch?: boolean } = {}) {
      const producer = new Producer({ server: broker.address, retries: 0, ...options });
      await producer.start();
      await producer.send({ topic: 't', body: 'warm-up' });
      try {
        return await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send({ topic: 't', body: `m${i}` }).catch((e: unknown) => e)));
      } finally {
        await producer.shutdown();
      }
    }

    it('coalesces the sends of one tick into one request per queue', async () => {
      await sendTen();
      const frames = sendFrames().slice(1);
      expect(frames.map((f) => decodeBody(sendBatchRequestCodec, f.body).messages.map((m) => m.body.toString()))).toEqual([
        ['m0', 'm2', 'm4', 'm6', 'm8'],
        ['m1', 'm3', 'm5', 'm7', 'm9'],
      ]);
    });

    it('sends one request per message with autoBatch off', async () => {
      await sendTen({ autoBatch: false });
      expect(sendFrames()).toHaveLength(11);
    });

    it('re-sends a refused batch message by message, so each send gets its own answer', async () => {
      const producer = new Producer({ server: broker.address, retries: 0 });
      await producer.start();
      try {
        await producer.send({ topic: 't', body: 'warm-up' });
        refuse = true;
        const errors = await Promise.all(Array.from({ length: 4 }, () => producer.send({ topic: 't', body: 'x', queueId: 0 }).catch((e: unknown) => e)));
        for (const error of errors) expect(error).toBeInstanceOf(BrokerError);
        expect(errors.map((e) => (e as Error).message)).toEqual(Array(4).fill('disk on fire'));
        expect(sendFrames().slice(1).map((f) => decodeBody(sendBatchRequestCodec, f.body).messages.length)).toEqual([4, 1, 1, 1, 1]);
      } finally {
        await producer.shutdown();
      }
    });
  });
});
