/** Message properties the MQTT front reads and writes. */
export const MqttProperties = {
  /** The full MQTT topic; on a message from another protocol, where to publish it in MQTT. */
  TOPIC: 'mqtt.topic',
  /** QoS 0, 1 or 2 as published (decimal); on a message from another protocol, the QoS to publish with (default 1). */
  QOS: 'mqtt.qos',
  /** `1` for a retained publish, else `0`. */
  RETAIN: 'mqtt.retain',
  /** `1` on messages an MQTT client published: aedes delivered them to MQTT subscribers already. */
  ORIGIN: 'mqtt.origin',
  /** MQTT 5 Content Type (3.3.2.3.9). */
  CONTENT_TYPE: 'mqtt.contentType',
  /** MQTT 5 Response Topic (3.3.2.3.5). */
  RESPONSE_TOPIC: 'mqtt.responseTopic',
  /** MQTT 5 Correlation Data (3.3.2.3.6), base64 (standard alphabet, padded). */
  CORRELATION_DATA: 'mqtt.correlationData',
  /** MQTT 5 Payload Format Indicator (3.3.2.3.2): `1` for UTF-8 text, `0` for unspecified bytes. */
  PAYLOAD_FORMAT: 'mqtt.payloadFormat',
  /** When an MQTT 5 Message Expiry Interval (3.3.2.3.3) runs out: ms since epoch (decimal). Not delivered to MQTT after that. */
  EXPIRES_AT: 'mqtt.expiresAt',
  /** Prefix of MQTT 5 User Properties (3.3.2.3.7): `mqtt.user.<name>` = value (a repeated name keeps its last value). */
  USER_PREFIX: 'mqtt.user.',
} as const;
