import { WireFormatError } from '../frame/wire-format-error';
import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';

export type WireTopicPermission = 'rw' | 'r' | 'w' | 'none';

const READ = 1;
const WRITE = 2;
const BY_BITS: readonly WireTopicPermission[] = ['none', 'r', 'w', 'rw'];

/** A topic permission as one byte: bit 0 read, bit 1 write. */
export const topicPermissionCodec = {
  encode(writer: ByteWriter, permission: WireTopicPermission): void {
    writer.u8((permission.includes('r') ? READ : 0) | (permission.includes('w') ? WRITE : 0));
  },

  decode(reader: ByteReader): WireTopicPermission {
    const bits = reader.u8();
    const permission = BY_BITS[bits];
    if (!permission) throw new WireFormatError(`unknown topic permission bits ${bits}`);
    return permission;
  },
};
