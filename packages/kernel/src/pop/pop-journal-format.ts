/**
 * The POP journal's binary format, version 1. One journal message per receive, ack, nack or lease
 * change, holding every offset that call touched:
 *
 * ```
 * u8 version (1) | str group | str clientId | op*
 * op QUEUE   0x01 | str topic | varint queueId        selects the topic-queue of the ops after it
 * op LEASE   0x02 | varint offset | varint leaseId | varint expiresAt | varint deliveryCount | varint bodyBytes
 * op ACK     0x03 | varint offset
 * op VISIBLE 0x04 | varint offset | varint visibleAt | varint deliveryCount
 * op FORGET  0x05                                     drops the group's state on the queue (topic deleted)
 * op START   0x06 | varint offset                     the group starts on the queue at offset (a LATEST start)
 * ```
 * `str` is a varint byte length then UTF-8; `varint` is unsigned LEB128 of a safe integer. Each
 * op sets an offset's whole state (LEASE also serves lease changes, with the clientId of the
 * lease's owner), so replaying ops a checkpoint already holds changes nothing.
 */
export const POP_JOURNAL_VERSION = 1;

export const PopJournalOp = {
  QUEUE: 0x01,
  LEASE: 0x02,
  ACK: 0x03,
  VISIBLE: 0x04,
  FORGET: 0x05,
  START: 0x06,
} as const;
