import rhea, { type Message } from 'rhea';

const RAW = Symbol('tessera.amqp.raw');
let installed = false;

/**
 * rhea hands a receiver the decoded message only, and re-encoding it can change the bytes (a
 * long comes back a uint...). This wraps rhea's decoder, once per process, so each decoded
 * message keeps the buffer it came from: `rawTransferOf` returns it.
 */
export function installRawTransferCapture(): void {
  if (installed) return;
  installed = true;
  const decode = rhea.message.decode;
  rhea.message.decode = (buffer) => {
    const message = decode(buffer);
    Object.defineProperty(message, RAW, { value: buffer });
    return message;
  };
}

export function rawTransferOf(message: Message): Buffer | undefined {
  return (message as unknown as { [RAW]?: Buffer })[RAW];
}
