import { Option } from 'commander';
import { DEFAULT_SERVER_ADDRESS } from '../config/default-distribution';
import { parseServerAddress } from './parse-server-address';

/** `--server host:port`, which every client command takes. */
export function serverOption(): Option {
  return new Option('--server <host:port>', 'broker native address').default(DEFAULT_SERVER_ADDRESS).argParser(parseServerAddress);
}
