export { Mqtt5Layer, type Mqtt5LayerOptions } from './mqtt5-layer';
export type { Mqtt5ServerLimits } from './mqtt5-connection';
export { logPropertiesOf, publishFieldsOf } from './mqtt5-log-properties';
export { stampMessageExpiry } from './message-expiry';
