/**
 * The MQTT persistence journal's binary format, version 1. One journal message per batch: every
 * mutation aedes made within one event-loop turn, in call order.
 *
 * ```
 * u8 version (1) | varint batchSeq | op*
 * op RETAIN          0x01 | value packet                      (an empty payload deletes the topic's message)
 * op SUBSCRIBE       0x02 | str clientId | varint n | (str topic | value record)*
 * op UNSUBSCRIBE     0x03 | str clientId | varint n | str topic*
 * op CLEAN_SUBS      0x04 | str clientId
 * op ENQUEUE         0x05 | varint n | str clientId* | value packet
 * op UPDATE_ID       0x06 | str clientId | value brokerId | value brokerCounter | value messageId
 * op REPLACE         0x07 | str clientId | value packet
 * op CLEAR           0x08 | str clientId | value messageId
 * op INCOMING_PUT    0x09 | str clientId | value packet
 * op INCOMING_DEL    0x0a | str clientId | value messageId
 * op INCOMING_CLEAN  0x0b | str clientId
 * op WILL_PUT        0x0c | str clientId | value packet
 * op WILL_DEL        0x0d | str clientId
 * op SESSION_TIMERS  0x0e | str clientId | value record    (an MQTT 5 session's expiry and delayed will; UNDEFINED deletes)
 * op SESSION_OPEN    0x0f | str clientId                   (a persistent session began; CLEAN_SUBS ends it)
 * ```
 * `str` is a varint byte length then UTF-8; `varint` is unsigned LEB128 of a safe integer. A
 * `value` is a tag byte (ValueTag) then: nothing (UNDEFINED, NULL, FALSE, TRUE), a varint (UINT),
 * a float64 LE (FLOAT), a str (STRING), a varint length and bytes (BYTES), a varint count and
 * values (ARRAY), or a varint count and (str key | value) pairs (OBJECT). Packets are OBJECT values
 * holding every own key, undefined ones too, so a packet reads back with exactly the shape aedes stored.
 *
 * Ops replay the calls they record; they are not idempotent, so replay skips batches whose
 * batchSeq a checkpoint already holds. An outgoing entry remembers where its packet's value starts
 * (journal offset, byte position) and reads the packet back from there instead of keeping it in memory.
 */
export const MQTT_JOURNAL_VERSION = 1;

export const MqttJournalOp = {
  RETAIN: 0x01,
  SUBSCRIBE: 0x02,
  UNSUBSCRIBE: 0x03,
  CLEAN_SUBS: 0x04,
  ENQUEUE: 0x05,
  UPDATE_ID: 0x06,
  REPLACE: 0x07,
  CLEAR: 0x08,
  INCOMING_PUT: 0x09,
  INCOMING_DEL: 0x0a,
  INCOMING_CLEAN: 0x0b,
  WILL_PUT: 0x0c,
  WILL_DEL: 0x0d,
  SESSION_TIMERS: 0x0e,
  SESSION_OPEN: 0x0f,
} as const;

export const ValueTag = {
  UNDEFINED: 0,
  NULL: 1,
  FALSE: 2,
  TRUE: 3,
  UINT: 4,
  FLOAT: 5,
  STRING: 6,
  BYTES: 7,
  ARRAY: 8,
  OBJECT: 9,
} as const;
