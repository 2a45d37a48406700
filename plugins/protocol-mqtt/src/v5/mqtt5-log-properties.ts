import { MqttProperties } from '../mqtt-properties';

/** The MQTT 5 PUBLISH properties that travel through Tessera's log. */
export interface Mqtt5PublishProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  userProperties?: Record<string, string | string[]>;
}

/** A PUBLISH's v5 fields as the log keeps them, and what a republish to MQTT carries. */
export interface Mqtt5PublishFields {
  properties?: Mqtt5PublishProperties;
  /** Absolute deadline (ms since epoch) of the Message Expiry Interval. */
  messageExpiry?: number;
}

/** Message properties (see MqttProperties) for the v5 fields of a PUBLISH; empty for a 3.1.1 one. */
export function logPropertiesOf(packet: Mqtt5PublishFields): Record<string, string> {
  const logged: Record<string, string> = {};
  const properties = packet.properties;
  if (properties) {
    if (properties.contentType !== undefined) logged[MqttProperties.CONTENT_TYPE] = properties.contentType;
    if (properties.responseTopic !== undefined) logged[MqttProperties.RESPONSE_TOPIC] = properties.responseTopic;
    if (properties.correlationData !== undefined) logged[MqttProperties.CORRELATION_DATA] = Buffer.from(properties.correlationData).toString('base64');
    if (properties.payloadFormatIndicator !== undefined) logged[MqttProperties.PAYLOAD_FORMAT] = properties.payloadFormatIndicator ? '1' : '0';
    for (const [name, value] of Object.entries(properties.userProperties ?? {})) {
      logged[MqttProperties.USER_PREFIX + name] = Array.isArray(value) ? value[value.length - 1]! : value;
    }
  }
  if (packet.messageExpiry !== undefined) logged[MqttProperties.EXPIRES_AT] = String(packet.messageExpiry);
  return logged;
}

/** The v5 fields to republish a logged message with (whatever protocol wrote it). */
export function publishFieldsOf(logged: Readonly<Record<string, string>>): Mqtt5PublishFields {
  const properties: Mqtt5PublishProperties = {};
  const contentType = logged[MqttProperties.CONTENT_TYPE];
  if (contentType !== undefined) properties.contentType = contentType;
  const responseTopic = logged[MqttProperties.RESPONSE_TOPIC];
  if (responseTopic !== undefined) properties.responseTopic = responseTopic;
  const correlationData = logged[MqttProperties.CORRELATION_DATA];
  if (correlationData !== undefined) properties.correlationData = Buffer.from(correlationData, 'base64');
  const payloadFormat = logged[MqttProperties.PAYLOAD_FORMAT];
  if (payloadFormat !== undefined) properties.payloadFormatIndicator = payloadFormat === '1';
  for (const [name, value] of Object.entries(logged)) {
    if (!name.startsWith(MqttProperties.USER_PREFIX) || name.length === MqttProperties.USER_PREFIX.length) continue;
    (properties.userProperties ??= {})[name.slice(MqttProperties.USER_PREFIX.length)] = value;
  }
  const fields: Mqtt5PublishFields = {};
  if (Object.keys(properties).length > 0) fields.properties = properties;
  const expiresAt = Number(logged[MqttProperties.EXPIRES_AT]);
  if (Number.isSafeInteger(expiresAt) && expiresAt > 0) fields.messageExpiry = expiresAt;
  return fields;
}
