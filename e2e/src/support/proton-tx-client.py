#!/usr/bin/python3
"""Sends messages to an AMQP 1.0 queue inside one transaction, then commits or rolls it back.

Declares a transaction on the connection's coordinator, sends -m messages (bodies "<tag>-1" ...
"<tag>-N", message ids 1..N) under it, then discharges it: --outcome commit or rollback.
Prints "declared <txn-id>", then "committed N" or "rolled back N", and exits 0; on any refusal
(coordinator link, declare, discharge, connection) prints "error: ..." to stderr and exits 1;
exits 2 if nothing settled the transaction within --timeout seconds.

Run it with Debian's interpreter: /usr/bin/python3 (python3-qpid-proton).
"""
import optparse
import sys

from proton import Message, Url
from proton.handlers import MessagingHandler, TransactionHandler
from proton.reactor import Container


class TxClient(MessagingHandler, TransactionHandler):
    def __init__(self, url, count, outcome, tag, timeout):
        super(TxClient, self).__init__()
        self.url = Url(url)
        self.count = count
        self.outcome = outcome
        self.tag = tag
        self.timeout = timeout
        self.sent = 0
        self.transaction = None
        self.discharged = False
        self.exit_code = None

    def on_start(self, event):
        self.container = event.container
        self.timer = self.container.schedule(self.timeout, self)
        self.conn = self.container.connect(self.url, reconnect=False)
        self.sender = self.container.create_sender(self.conn, self.url.path)
        self.container.declare_transaction(self.conn, handler=self)

    def on_timer_task(self, event):
        self.finish(2, "error: no outcome within %s s (sent %d of %d)" % (self.timeout, self.sent, self.count))

    def on_transaction_declared(self, event):
        self.transaction = event.transaction
        print("declared %r" % (self.transaction.id,))
        self.send()

    def on_sendable(self, event):
        self.send()

    def send(self):
        if self.transaction is None or self.discharged:
            return
        while self.sender.credit and self.sent < self.count:
            self.sent += 1
            self.transaction.send(self.sender, Message(id=self.sent, durable=True, body="%s-%d" % (self.tag, self.sent)))
        if self.sent == self.count:
            self.discharged = True
            if self.outcome == "commit":
                self.transaction.commit()
            else:
                self.transaction.abort()

    def on_transaction_committed(self, event):
        self.finish(0, "committed %d" % self.sent)

    def on_transaction_aborted(self, event):
        self.finish(0, "rolled back %d" % self.sent)

    def on_transaction_declare_failed(self, event):
        self.finish(1, "error: declare refused: %s" % describe(event.delivery.remote.condition))

    def on_transaction_commit_failed(self, event):
        self.finish(1, "error: commit refused: %s" % describe(event.delivery.remote.condition))

    def on_link_error(self, event):
        self.finish(1, "error: link %s refused: %s" % (event.link.name, describe(event.link.remote_condition)))

    def on_connection_error(self, event):
        self.finish(1, "error: connection closed: %s" % describe(event.connection.remote_condition))

    def on_transport_error(self, event):
        self.finish(1, "error: transport: %s" % describe(event.transport.condition))

    def on_disconnected(self, event):
        self.finish(1, "error: disconnected before the transaction was settled")

    def finish(self, code, line):
        if self.exit_code is not None:
            return
        self.exit_code = code
        print(line, file=sys.stderr if code else sys.stdout)
        self.timer.cancel()
        self.conn.close()


def describe(condition):
    if condition is None:
        return "no error condition"
    return "%s %s" % (condition.name, condition.description or "")


parser = optparse.OptionParser(usage="usage: %prog -a HOST:PORT/ADDRESS [options]", description=__doc__.split("\n")[0])
parser.add_option("-a", "--address", default="127.0.0.1:5672/examples", help="host:port/queue (default %default)")
parser.add_option("-m", "--messages", type="int", default=10, help="messages to send in the transaction (default %default)")
parser.add_option("-o", "--outcome", choices=["commit", "rollback"], default="commit", help="commit or rollback (default %default)")
parser.add_option("-t", "--tag", default="tx", help="bodies are TAG-1 ... TAG-N (default %default)")
parser.add_option("--timeout", type="float", default=10.0, help="seconds to wait for the outcome (default %default)")
opts, _ = parser.parse_args()

client = TxClient(opts.address, opts.messages, opts.outcome, opts.tag, opts.timeout)
Container(client).run()
sys.exit(2 if client.exit_code is None else client.exit_code)
