/**
 * One commitlog record, little-endian, at the file position `commitLogOffset - segmentStart`:
 *
 * | at | size | field                                                     |
 * |----|------|-----------------------------------------------------------|
 * |  0 | 4    | totalSize: bytes of the whole record, this field included |
 * |  4 | 4    | magic: MESSAGE_MAGIC, or END_OF_SEGMENT_MAGIC             |
 * |  8 | 4    | CRC32C of bytes [12, totalSize)                           |
 * | 12 | 4    | queueId                                                   |
 * | 16 | 8    | queueOffset                                               |
 * | 24 | 8    | physicalOffset (the record's own commitLogOffset)         |
 * | 32 | 4    | flag (int32)                                              |
 * | 36 | 8    | bornTimestamp (ms)                                        |
 * | 44 | 8    | storeTimestamp (ms)                                       |
 * | 52 | 4    | reconsumeTimes                                            |
 * | 56 | 2    | topic length (bytes)                                      |
 * | 58 | 2    | tag length (0 = no tag)                                   |
 * | 60 | 2    | key count                                                 |
 * | 62 | 4    | properties length (bytes)                                 |
 * | 66 | 4    | body length                                               |
 * | 70 | …    | topic, tag (UTF-8); keys: (u16 length, UTF-8)*;           |
 * |    |      | properties: (u16 name length, name, u16 value length,     |
 * |    |      | value)*; body                                             |
 *
 * 64-bit fields are two uint32 (low word first). An end-of-segment marker is 8 bytes
 * (totalSize = the bytes left in the segment, END_OF_SEGMENT_MAGIC): the next record starts the
 * next segment. A record carries its own physical offset so a stale or misplaced one is refused.
 */
export const RecordLayout = {
  MESSAGE_MAGIC: 0x54534d31,
  END_OF_SEGMENT_MAGIC: 0x54534d45,
  END_OF_SEGMENT_BYTES: 8,
  CHECKSUMMED_FROM: 12,
  TOTAL_SIZE: 0,
  MAGIC: 4,
  CRC: 8,
  QUEUE_ID: 12,
  QUEUE_OFFSET: 16,
  PHYSICAL_OFFSET: 24,
  FLAG: 32,
  BORN_TIMESTAMP: 36,
  STORE_TIMESTAMP: 44,
  RECONSUME_TIMES: 52,
  TOPIC_LENGTH: 56,
  TAG_LENGTH: 58,
  KEY_COUNT: 60,
  PROPERTIES_LENGTH: 62,
  BODY_LENGTH: 66,
  FIXED_BYTES: 70,
  MAX_SHORT_STRING_BYTES: 0xffff,
} as const;
