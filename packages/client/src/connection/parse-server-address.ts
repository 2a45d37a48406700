import { TesseraClientError } from '../errors/tessera-client-error';

export interface ServerAddress {
  host: string;
  port: number;
}

/** `host:port` (IPv6 as `[::1]:10911`) → its parts; a clear error for anything else. */
export function parseServerAddress(server: string): ServerAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(server.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new TesseraClientError('BAD_ARGUMENT', `server must be "host:port", got ${JSON.stringify(server)}`);
  }
  return { host: (match[1] ?? match[2])!, port };
}
