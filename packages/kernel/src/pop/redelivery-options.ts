/** How a message whose lease ends goes back to its group. */
export interface RedeliveryOptions {
  /** Not to the consumer that held the lease (AMQP `undeliverable-here`): only other consumers get it again. */
  notToSameConsumer?: boolean;
}
