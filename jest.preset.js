// Shared jest setup: TypeScript through @swc/jest (decorators + metadata), inversify's ESM
// transformed, workspace packages mapped to their sources so unit tests need no build.
const path = require('node:path');

const root = __dirname;
const workspaceSources = {
  '@tessera/kernel': 'packages/kernel/src/index.ts',
  '@tessera/wire': 'packages/wire/src/index.ts',
  '@tessera/testing': 'packages/testing/src/index.ts',
  '@tessera/client': 'packages/client/src/index.ts',
  '@tessera/cli': 'packages/cli/src/index.ts',
  '@tessera/store-commitlog': 'plugins/store-commitlog/src/index.ts',
  '@tessera/protocol-native': 'plugins/protocol-native/src/index.ts',
  '@tessera/protocol-mqtt': 'plugins/protocol-mqtt/src/index.ts',
  '@tessera/protocol-amqp': 'plugins/protocol-amqp/src/index.ts',
  '@tessera/coordination-local': 'plugins/coordination-local/src/index.ts',
  '@tessera/feature-filter': 'plugins/feature-filter/src/index.ts',
  '@tessera/feature-delay': 'plugins/feature-delay/src/index.ts',
  '@tessera/feature-retry': 'plugins/feature-retry/src/index.ts',
  '@tessera/feature-transaction': 'plugins/feature-transaction/src/index.ts',
};

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

module.exports = (projectDir, overrides = {}) => ({
  rootDir: projectDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swcOptions] },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  moduleNameMapper: Object.fromEntries(
    Object.entries(workspaceSources).map(([name, file]) => [`^${name}$`, path.join(root, file)]),
  ),
  reporters: ['default', path.join(root, 'tools/scripts/count-reporter.js')],
  ...overrides,
});
