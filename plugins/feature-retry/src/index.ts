export { featureRetryPlugin as plugin, featureRetryPlugin } from './feature-retry-plugin';
export * from './feature-retry-options';
export * from './retry-topic-names';
export * from './without-redelivery-markers';
