/** A refusal to send back to the client as an AMQP error: a rejected outcome, or a link or connection closed with it. */
export class AmqpRefusal extends Error {
  constructor(
    readonly condition: string,
    description: string,
  ) {
    super(description);
  }

  toAmqpError(): { condition: string; description: string } {
    return { condition: this.condition, description: this.message };
  }
}
