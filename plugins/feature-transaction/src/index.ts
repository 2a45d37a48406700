export { featureTransactionPlugin as plugin, featureTransactionPlugin } from './feature-transaction-plugin';
export * from './feature-transaction-options';
export * from './transaction-service';
export * from './transaction-topics';
