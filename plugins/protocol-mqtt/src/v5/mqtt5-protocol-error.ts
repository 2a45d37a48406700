/** A client broke an MQTT 5 rule: the server sends DISCONNECT with `reasonCode` and closes the connection. */
export class Mqtt5ProtocolError extends Error {
  constructor(
    readonly reasonCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'Mqtt5ProtocolError';
  }
}
