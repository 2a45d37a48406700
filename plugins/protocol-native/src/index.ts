export { protocolNativePlugin as plugin, protocolNativePlugin } from './protocol-native-plugin';
export * from './native-protocol-adapter';
export * from './native-protocol-options';
export * from './native-protocol-options-schema';
