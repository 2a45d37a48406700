import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { create_container, message, type Connection, type EventContext, type Sender } from 'rhea';
import type { AmqpSendersReport, AmqpSendersSetup } from './amqp-load-protocol';
import { describeError, openAmqpConnection, opened } from './open-amqp-connection';

const SEND_TIME_BYTES = 8;
const PACING_TICK_MS = 1;

interface Totals {
  sent: number;
  accepted: number;
  refused: number;
  firstError?: string;
  lastSentNs: bigint;
  lastSettledNs: bigint;
}

/**
 * The senders of one phase, on their own thread: one connection and one link per sender, each
 * with at most `inFlightPerSender` unsettled durable transfers (header durable=true), paced to
 * `ratePerSec` when given. A body starts with its send time (hrtime ns, the same monotonic clock
 * in every thread) and is padded to `payloadBytes`; it goes as one data section.
 */
async function runSenders(setup: AmqpSendersSetup, port: NonNullable<typeof parentPort>): Promise<void> {
  const container = create_container({ id: `bench-senders-${process.pid}` });
  // Errors are recorded by the links' and connections' own listeners; without this one rhea would also throw them.
  container.on('error', () => undefined);
  const connections: Connection[] = [];
  try {
    const senders: Sender[] = [];
    for (let i = 0; i < setup.senders; i++) {
      const connection = await openAmqpConnection(container, setup.endpoint);
      connections.push(connection);
      const sender = connection.open_sender({ target: { address: setup.endpoint.address, durable: 2 } });
      await opened(sender, 'sender_open', ['sender_error', 'sender_close'], `sender to ${setup.endpoint.address}`);
      senders.push(sender);
    }
    const eventLoopDelay = monitorEventLoopDelay({ resolution: 1 });
    eventLoopDelay.enable();
    const startedNs = process.hrtime.bigint();
    port.postMessage({ type: 'started', atNs: startedNs } satisfies AmqpSendersReport);
    const totals: Totals = { sent: 0, accepted: 0, refused: 0, lastSentNs: startedNs, lastSettledNs: startedNs };
    const endNs = startedNs + BigInt(setup.durationMs) * 1_000_000n;
    const ratePerSender = setup.ratePerSec === undefined ? undefined : setup.ratePerSec / setup.senders;
    const lanes = senders.map((sender) => startLane(sender, setup, ratePerSender, startedNs, endNs, totals));
    // One ticker paces every lane (and notices the end of the phase when no settlement comes).
    const ticker = setInterval(() => lanes.forEach((lane) => lane.pump()), PACING_TICK_MS);
    const inFlight = await Promise.all(lanes.map((lane) => lane.unsettled));
    clearInterval(ticker);
    eventLoopDelay.disable();
    const seconds = (ns: bigint) => Number(ns - startedNs) / 1e9;
    port.postMessage({
      type: 'result',
      sent: totals.sent,
      accepted: totals.accepted,
      refused: totals.refused,
      unsettled: inFlight.reduce((sum, count) => sum + count, 0),
      firstError: totals.firstError,
      sendSeconds: seconds(totals.lastSentNs),
      settleSeconds: seconds(totals.lastSettledNs),
      eventLoopDelayP99Ms: eventLoopDelay.percentile(99) / 1e6,
    } satisfies AmqpSendersReport);
  } finally {
    for (const connection of connections) connection.close();
  }
}

interface Lane {
  /** Sends what is due and the window allows. */
  pump: () => void;
  /** After `endNs` and the settlements (bounded): how many transfers were left unsettled. */
  unsettled: Promise<number>;
}

function startLane(sender: Sender, setup: AmqpSendersSetup, ratePerSender: number | undefined, startedNs: bigint, endNs: bigint, totals: Totals): Lane {
  let pump: () => void = () => undefined;
  const unsettled = new Promise<number>((resolve) => {
    const body = Buffer.alloc(Math.max(setup.payloadBytes, SEND_TIME_BYTES), 'x');
    let sent = 0;
    let inFlight = 0;
    let sending = true;
    let settleDeadline: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(settleDeadline);
      resolve(inFlight);
    };
    pump = () => {
      if (!sending) return;
      const now = process.hrtime.bigint();
      if (now >= endNs) {
        sending = false;
        if (inFlight === 0) finish();
        else settleDeadline = setTimeout(finish, setup.settleTimeoutMs);
        return;
      }
      const due = ratePerSender === undefined ? Number.POSITIVE_INFINITY : Math.floor((Number(now - startedNs) / 1e9) * ratePerSender);
      while (sent < due && inFlight < setup.inFlightPerSender && sender.sendable()) {
        const sentNs = process.hrtime.bigint();
        body.writeBigInt64BE(sentNs, 0);
        // rhea encodes the message here, so the body can be reused for the next send.
        sender.send({ durable: true, body: message.data_section(body) });
        sent++;
        inFlight++;
        totals.sent++;
        totals.lastSentNs = sentNs;
      }
    };
    const settled = (accepted: boolean) => (context: EventContext) => {
      inFlight--;
      totals.lastSettledNs = process.hrtime.bigint();
      if (accepted) totals.accepted++;
      else {
        totals.refused++;
        totals.firstError ??= `a transfer was settled ${JSON.stringify(context.delivery?.remote_state ?? 'without accepted')}`;
      }
      if (sending) pump();
      else if (inFlight === 0) finish();
    };
    sender.on('accepted', settled(true));
    for (const outcome of ['rejected', 'released', 'modified']) sender.on(outcome, settled(false));
    sender.on('sendable', pump);
    const fail = (context: EventContext) => {
      totals.firstError ??= `the link or connection failed: ${describeError(context.sender?.error ?? context.connection.error ?? context.error)}`;
      sending = false;
      finish();
    };
    sender.on('sender_error', fail);
    sender.connection.on('disconnected', fail);
  });
  return { pump: () => pump(), unsettled };
}

if (parentPort) {
  const port = parentPort;
  runSenders(workerData as AmqpSendersSetup, port).catch((error: unknown) => {
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies AmqpSendersReport);
  });
}
