export { featureDelayPlugin as plugin, featureDelayPlugin } from './feature-delay-plugin';
export * from './delay-options';
export * from './delay-policy';
export * from './delay-topic';
