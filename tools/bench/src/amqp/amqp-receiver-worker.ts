import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { build } from 'hdr-histogram-js';
import { create_container, type Connection, type EventContext } from 'rhea';
import type { AmqpReceiversCommand, AmqpReceiversReport, AmqpReceiversSetup } from './amqp-load-protocol';
import { latencyFiguresOf } from '../report/latency-figures';
import { describeError, openAmqpConnection, opened } from './open-amqp-connection';

/**
 * The receivers of one phase, on their own thread: one connection and one link per receiver on
 * the same queue (competing consumers), each keeping `creditPerReceiver` credit and accepting
 * every message on receipt. Records receive − send (hrtime ns from the body's first 8 bytes).
 */
async function runReceivers(setup: AmqpReceiversSetup, port: NonNullable<typeof parentPort>): Promise<void> {
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const eventLoopDelay = monitorEventLoopDelay({ resolution: 1 });
  const container = create_container({ id: `bench-receivers-${process.pid}` });
  // Errors are recorded by the links' and connections' own listeners; without this one rhea would also throw them.
  container.on('error', () => undefined);
  const connections: Connection[] = [];
  let received = 0;
  let lastReceivedNs = 0n;
  let recordFromNs: bigint | undefined;
  let firstError: string | undefined;
  let stop: { expected: number; deadline: number } | undefined;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const checkDone = () => {
    if (stop && (received >= stop.expected || Date.now() >= stop.deadline)) finished();
  };
  const onMessage = (context: EventContext) => {
    const now = process.hrtime.bigint();
    received++;
    lastReceivedNs = now;
    const body = context.message?.body as Buffer | { content?: Buffer } | undefined;
    const content = Buffer.isBuffer(body) ? body : body?.content;
    if (content && content.length >= 8) {
      const sentNs = content.readBigInt64BE(0);
      if (recordFromNs !== undefined && sentNs >= recordFromNs) histogram.recordValue(Math.max(1, Number((now - sentNs) / 1000n)));
    } else {
      firstError ??= `a message without the 8-byte send time in its body: ${JSON.stringify(context.message?.body)?.slice(0, 200)}`;
    }
    if (stop) checkDone();
  };
  try {
    for (let i = 0; i < setup.receivers; i++) {
      const connection = await openAmqpConnection(container, setup.endpoint);
      connections.push(connection);
      const receiver = connection.open_receiver({
        source: { address: setup.endpoint.address, durable: 2 },
        credit_window: setup.creditPerReceiver,
        autoaccept: true,
      });
      receiver.on('message', onMessage);
      const fail = (context: EventContext) =>
        (firstError ??= `a receiver failed: ${describeError(context.receiver?.error ?? context.connection.error ?? context.error)}`);
      await opened(receiver, 'receiver_open', ['receiver_error', 'receiver_close'], `receiver from ${setup.endpoint.address}`);
      receiver.on('receiver_error', fail);
      connection.on('disconnected', fail);
    }
    port.on('message', (command: AmqpReceiversCommand) => {
      if (command.type === 'record') {
        recordFromNs = command.recordFromNs;
        eventLoopDelay.enable();
      } else {
        stop = { expected: command.expected, deadline: Date.now() + command.drainMs };
        const poll = setInterval(checkDone, 50);
        void done.then(() => clearInterval(poll));
        checkDone();
      }
    });
    port.postMessage({ type: 'ready' } satisfies AmqpReceiversReport);
    await done;
    eventLoopDelay.disable();
    port.postMessage({
      type: 'result',
      received,
      lastReceivedNs,
      ...latencyFiguresOf(histogram),
      firstError,
      eventLoopDelayP99Ms: eventLoopDelay.percentile(99) / 1e6,
    } satisfies AmqpReceiversReport);
  } finally {
    for (const connection of connections) connection.close();
    histogram.destroy();
  }
}

if (parentPort) {
  const port = parentPort;
  runReceivers(workerData as AmqpReceiversSetup, port).catch((error: unknown) => {
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies AmqpReceiversReport);
  });
}
