import { PushConsumer } from '@tessera/client';
import type { RebalanceMemberCommand, RebalanceMemberReport, RebalanceMemberSetup } from './rebalance-member-protocol';

/**
 * One consumer-group member of the rebalance phase, in its own process so the bench can SIGKILL
 * it. It loads, reports ready, and joins only when told: the bench times the join from its
 * command, not from a process start. On 'leave' it shuts down gracefully and exits.
 */
function runRebalanceMember(setup: RebalanceMemberSetup, send: (report: RebalanceMemberReport) => void): void {
  const consumer = new PushConsumer({
    server: setup.server,
    group: setup.group,
    topic: setup.topic,
    clientId: setup.clientId,
    consumeFrom: 'latest',
    heartbeatIntervalMs: setup.heartbeatIntervalMs,
    listener: () => 'SUCCESS',
  });
  consumer.on('error', (error: Error) => process.stderr.write(`${setup.clientId}: ${error.message}\n`));
  const fail = (error: Error) => send({ type: 'failed', message: `${setup.clientId}: ${error.message}` });
  process.on('message', (command: RebalanceMemberCommand) => {
    if (command.type === 'join') {
      consumer.start().then(() => send({ type: 'joined' }), fail);
    } else {
      consumer.shutdown().then(
        () => process.exit(0),
        (error: Error) => {
          fail(error);
          process.exit(1);
        },
      );
    }
  });
  // The bench going away (or dying) ends the member too.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

if (process.send) {
  const send = process.send.bind(process);
  runRebalanceMember(JSON.parse(process.argv[2]!) as RebalanceMemberSetup, (report) => send(report));
}
