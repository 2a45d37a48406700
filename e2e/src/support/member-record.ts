import { readFileSync } from 'node:fs';

/** One processed message, as a group-member process logged it. */
export interface MemberRecord {
  clientId: string;
  queueId: number;
  queueOffset: number;
  key: string;
  seq: number;
  /** Wall-clock ms (fractional) when the listener finished the message's batch. */
  at: number;
  /** Line number in its member's log: orders records of one member that share `at`. */
  line: number;
}

/** Reads the records of every member log, in time order. */
export function readMemberRecords(files: readonly string[]): MemberRecord[] {
  const records: MemberRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    for (let line = 0; line < lines.length; line++) {
      const fields = lines[line]!.split(' ');
      // A member killed mid-write can leave a cut last line: it never returned SUCCESS for it.
      if (fields.length !== 6 || fields[5] === '') continue;
      records.push({
        clientId: fields[0]!,
        queueId: Number(fields[1]),
        queueOffset: Number(fields[2]),
        key: fields[3]!,
        seq: Number(fields[4]),
        at: Number(fields[5]),
        line,
      });
    }
  }
  return records.sort((a, b) => a.at - b.at || (a.clientId === b.clientId ? a.line - b.line : 0));
}
