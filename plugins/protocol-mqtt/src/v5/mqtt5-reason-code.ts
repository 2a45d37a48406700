import { ShareFilter } from '../shared';

/** MQTT 5 reason codes (2.4) the v5 layer sends. */
export const Mqtt5ReasonCode = {
  SUCCESS: 0x00,
  DISCONNECT_WITH_WILL: 0x04,
  NO_SUBSCRIPTION_EXISTED: 0x11,
  UNSPECIFIED_ERROR: 0x80,
  PROTOCOL_ERROR: 0x82,
  UNSUPPORTED_PROTOCOL_VERSION: 0x84,
  CLIENT_IDENTIFIER_NOT_VALID: 0x85,
  BAD_USER_NAME_OR_PASSWORD: 0x86,
  NOT_AUTHORIZED: 0x87,
  SERVER_UNAVAILABLE: 0x88,
  SERVER_SHUTTING_DOWN: 0x8b,
  BAD_AUTHENTICATION_METHOD: 0x8c,
  KEEP_ALIVE_TIMEOUT: 0x8d,
  SESSION_TAKEN_OVER: 0x8e,
  TOPIC_FILTER_INVALID: 0x8f,
  RECEIVE_MAXIMUM_EXCEEDED: 0x93,
  TOPIC_ALIAS_INVALID: 0x94,
  PACKET_TOO_LARGE: 0x95,
  QUOTA_EXCEEDED: 0x97,
} as const;

/** aedes' 3.1.1 CONNACK return codes (3.2.2.3) and what MQTT 5 says instead (3.2.2.2). */
const CONNACK_REASON_OF_RETURN_CODE: Readonly<Record<number, number>> = {
  0: Mqtt5ReasonCode.SUCCESS,
  1: Mqtt5ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
  2: Mqtt5ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
  3: Mqtt5ReasonCode.SERVER_UNAVAILABLE,
  4: Mqtt5ReasonCode.BAD_USER_NAME_OR_PASSWORD,
  5: Mqtt5ReasonCode.NOT_AUTHORIZED,
};

export function connackReasonCodeOf(returnCode: number): number {
  return CONNACK_REASON_OF_RETURN_CODE[returnCode] ?? Mqtt5ReasonCode.UNSPECIFIED_ERROR;
}

/**
 * aedes grants 128 (3.1.1's only failure) for a subscription authorizeSubscribe refused: the ACL
 * (0x87), or a malformed `$share/…` filter (0x8F).
 */
export function subackReasonCodeOf(granted: number, filter: string): number {
  if (granted !== 0x80) return granted;
  return ShareFilter.isShared(filter) && ShareFilter.parse(filter) === undefined ? Mqtt5ReasonCode.TOPIC_FILTER_INVALID : Mqtt5ReasonCode.NOT_AUTHORIZED;
}
