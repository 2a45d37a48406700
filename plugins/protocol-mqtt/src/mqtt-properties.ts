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
} as const;
