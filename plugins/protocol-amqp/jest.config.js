module.exports = {
  ...require('../../jest.preset.js')(__dirname),
  // Some handle left by rhea connections keeps the worker alive after the specs end and jest's
  // --detectOpenHandles names none; until it is found, the run must not hang CI.
  forceExit: true,
};
