import { closeSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessageId } from '@tessera/kernel';

const RECORD_HEADER_ALLOWANCE = 64 * 1024;

/**
 * Corrupts one stored record on disk: finds the commitlog segment holding `msgId` (segments are
 * named by their 20-digit start offset; a record sits at its commitlog offset minus that), finds
 * `body` inside the record and inverts its middle byte. Returns the file and position changed.
 */
export function flipByteInRecordBody(dataDir: string, msgId: string, body: Buffer): { file: string; position: number } {
  const decoded = decodeMessageId(msgId);
  if (!decoded) throw new Error(`${msgId} is not a message id`);
  const commitlogDir = join(dataDir, 'commitlog');
  const segmentStarts = readdirSync(commitlogDir)
    .filter((name) => /^\d{20}$/.test(name))
    .map(Number)
    .filter((start) => start <= decoded.commitLogOffset);
  if (segmentStarts.length === 0) throw new Error(`no segment in ${commitlogDir} holds offset ${decoded.commitLogOffset}`);
  const segmentStart = Math.max(...segmentStarts);
  const file = join(commitlogDir, String(segmentStart).padStart(20, '0'));
  const recordPosition = decoded.commitLogOffset - segmentStart;
  const fd = openSync(file, 'r+');
  try {
    const region = Buffer.alloc(body.length + RECORD_HEADER_ALLOWANCE);
    const read = readSync(fd, region, 0, region.length, recordPosition);
    const bodyAt = region.subarray(0, read).indexOf(body);
    if (bodyAt < 0) throw new Error(`the body of ${msgId} is not inside its record in ${file} at ${recordPosition}`);
    const position = recordPosition + bodyAt + Math.floor(body.length / 2);
    const flipped = Buffer.from([region[bodyAt + Math.floor(body.length / 2)]! ^ 0xff]);
    writeSync(fd, flipped, 0, 1, position);
    return { file, position };
  } finally {
    closeSync(fd);
  }
}
