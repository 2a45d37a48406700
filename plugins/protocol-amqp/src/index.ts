export { protocolAmqpPlugin as plugin, protocolAmqpPlugin } from './protocol-amqp-plugin';
export * from './amqp-address';
export * from './amqp-properties';
export * from './amqp-protocol-adapter';
export * from './amqp-protocol-options';
export * from './amqp-protocol-options-schema';
