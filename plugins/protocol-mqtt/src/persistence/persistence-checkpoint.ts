/**
 * The whole MQTT persistence state at one point of the journal (dataDir/mqtt/persistence-state.json).
 * Recovery loads it, then replays the journal from `journalOffset`, skipping batches up to `batchSeq`.
 * The state is in the journal's value encoding (see mqtt-journal-format.ts), base64, so packets
 * keep every field (undefined ones, Buffers in MQTT 5 properties) exactly.
 */
export interface PersistenceCheckpoint {
  version: 1;
  /** Offset of the first journal message this checkpoint may not hold. */
  journalOffset: number;
  /** Every batch up to this seq is held. */
  batchSeq: number;
  /** [retained packets, [clientId, [topic, record][]][], incoming: [clientId, packet[]][], wills: [clientId, packet][], session timers: [clientId, record][]] */
  sessions: string;
  /** [clientId, [brokerId, brokerCounter, messageId, journalOffset, bytePosition][]][] */
  outgoing: string;
}
