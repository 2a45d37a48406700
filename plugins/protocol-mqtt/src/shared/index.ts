export * from './share-filter';
export * from './shared-subscription-router';
