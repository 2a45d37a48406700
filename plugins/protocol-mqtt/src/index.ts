export { protocolMqttPlugin as plugin, protocolMqttPlugin } from './protocol-mqtt-plugin';
export * from './mqtt-log-bridge';
export * from './mqtt-properties';
export * from './mqtt-protocol-adapter';
export * from './mqtt-protocol-options';
export * from './mqtt-protocol-options-schema';
export * from './mqtt-topic-mapping';
