export const AmqpProtocolOptions = Symbol.for('tessera.protocol-amqp.Options');

export interface AmqpTlsOptions {
  keyFile: string;
  certFile: string;
  /** AMQP over TLS (amqps); 0 picks a free port. */
  port: number;
}

export interface AmqpProtocolOptions {
  host: string;
  /** AMQP 1.0 over TCP; 0 picks a free port. */
  port: number;
  /** A second listener speaking TLS, when set. */
  tls?: AmqpTlsOptions;
  /** SASL ANONYMOUS is offered (and a connection without a SASL layer accepted); PLAIN always is, against the broker's UserStore. */
  allowAnonymous: boolean;
  /** Largest frame accepted and advertised in open (AMQP's floor is 512). */
  maxFrameSize: number;
  /** A connection without traffic for this long is closed (advertised as idle-time-out); 0 turns it off. */
  idleTimeoutMs: number;
  /** Address prefixes naming a queue (anycast); a plain name is a queue too. */
  queuePrefixes: string[];
  /** Address prefixes naming a topic (multicast: one subscription per receiving link). */
  topicPrefixes: string[];
  /** Unsettled deliveries a session holds each way (rhea's session buffer): bounds a session's consumers' unsettled messages together. */
  sessionWindow: number;
  /** Credit each publishing link gets, granted again as its transfers are settled. */
  publisherCreditWindow: number;
  /** How long a message delivered to a consumer stays leased to it before it is redelivered to another. */
  leaseMs: number;
  /** How long a consumer link waits in one receive for messages while it has credit. */
  receiveWaitMs: number;
  /** A message settled `modified` with delivery-failed is redelivered after this long. */
  modifiedRedeliveryDelayMs: number;
  /** An expired message a consumer link takes goes to the group's dead-letter queue instead of being dropped. */
  deadLetterExpired: boolean;
  /** Transactions one connection may have open at once. */
  maxOpenTransactions: number;
  /** Transfers and consumer outcomes one transaction may hold. */
  maxTransactionMessages: number;
  /** Bytes of messages (bodies and properties) one transaction may hold until it is discharged. */
  maxTransactionBytes: number;
  /** Bytes of messages all open transactions of one connection may hold together. */
  maxConnectionTransactionBytes: number;
}
