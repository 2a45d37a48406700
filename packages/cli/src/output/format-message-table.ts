import type { ReceivedMessage } from '@tessera/client';

const HEADER = ['MSG ID', 'QUEUE', 'OFFSET', 'STORED', 'TAG', 'KEYS', 'BYTES'];

/** `message query`: a header and one aligned row per message, then the count. */
export function formatMessageTable(messages: readonly ReceivedMessage[]): string[] {
  const rows = messages.map((message) => [
    message.msgId,
    String(message.queueId),
    String(message.queueOffset),
    new Date(message.storeTimestamp).toISOString(),
    message.tag ?? '-',
    message.keys.join(',') || '-',
    String(message.body.length),
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(HEADER), ...rows.map(line), `${messages.length} message(s)`];
}
