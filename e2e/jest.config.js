// Real broker processes: one suite at a time (2 cores), generous per-test bounds.
module.exports = require('../jest.preset.js')(__dirname, { testTimeout: 240_000, maxWorkers: 1 });
