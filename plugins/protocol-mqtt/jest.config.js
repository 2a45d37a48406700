// aedes 1.x ships ESM only: let @swc/jest turn it into CommonJS like inversify.
module.exports = require('../../jest.preset.js')(__dirname, {
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|aedes)/)'],
});
