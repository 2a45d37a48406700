// Jest reporter that records a run's totals so `.ci/run` can print one `N passed, N failed` line
// over every project. Active only when TESSERA_TEST_COUNTS_DIR is set.
const fs = require('node:fs');
const path = require('node:path');

class CountReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.TESSERA_TEST_COUNTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const failedSuites = results.numFailedTestSuites - countSuitesWithFailedTests(results);
    const record = {
      project: path.basename(this.globalConfig.rootDir),
      passed: results.numPassedTests,
      // A suite that fails to load has no failed tests of its own; count it as one failure.
      failed: results.numFailedTests + Math.max(0, failedSuites),
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, `${record.project}-${process.pid}-${Date.now()}.json`), JSON.stringify(record));
  }
}

function countSuitesWithFailedTests(results) {
  return results.testResults.filter((suite) => suite.numFailingTests > 0).length;
}

module.exports = CountReporter;
