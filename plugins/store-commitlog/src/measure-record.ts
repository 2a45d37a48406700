import { ErrorCode, TesseraError, type AppendMessage } from '@tessera/kernel';
import { RecordLayout } from './record-layout';

/** The exact size of a message's record; refuses what the layout cannot hold. */
export function measureRecord(message: AppendMessage, topicBytes: number): number {
  let size = RecordLayout.FIXED_BYTES + topicBytes + message.body.length;
  if (message.tag) size += shortString(message.tag, 'tag');
  const keys = message.keys ?? [];
  if (keys.length > RecordLayout.MAX_SHORT_STRING_BYTES) refuse(`a message has ${keys.length} keys; at most 65535`);
  for (const key of keys) size += 2 + shortString(key, 'key');
  if (message.properties) {
    for (const name in message.properties) {
      const value = message.properties[name];
      if (typeof value !== 'string') refuse(`property "${name}" is not a string`);
      size += 4 + shortString(name, 'property name') + shortString(value, `property "${name}"`);
    }
  }
  return size;
}

function shortString(value: string, what: string): number {
  if (typeof value !== 'string') refuse(`a message's ${what} is not a string`);
  const bytes = Buffer.byteLength(value);
  if (bytes > RecordLayout.MAX_SHORT_STRING_BYTES) refuse(`a message's ${what} is ${bytes} bytes; at most 65535`);
  return bytes;
}

function refuse(message: string): never {
  throw new TesseraError(ErrorCode.BAD_REQUEST, message);
}
