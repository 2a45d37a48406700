// Real broker processes: one suite at a time (2 cores), generous per-test bounds. forceExit: some
// handle left by rhea client connections keeps jest alive after the last suite (see protocol-amqp).
module.exports = { ...require('../jest.preset.js')(__dirname, { testTimeout: 240_000, maxWorkers: 1 }), forceExit: true };
