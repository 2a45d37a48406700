// node:test reporter that records a run's totals in the format tools/scripts/count-reporter.js
// (jest's) writes, so `.ci/run` counts node:test suites too. Active only when
// TESSERA_TEST_COUNTS_DIR is set. Use beside a readable one:
//   node --test --test-reporter=spec --test-reporter-destination=stdout \
//        --test-reporter=<this file> --test-reporter-destination=stderr test/
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    // Suites (describe blocks and test files) report too; count only the tests in them.
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:fail') failed++;
    else if (event.data.skip || event.data.todo) skipped++;
    else passed++;
  }
  const dir = process.env.TESSERA_TEST_COUNTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const record = { project: basename(process.cwd()), passed, failed, skipped };
  writeFileSync(join(dir, `${record.project}-node-test-${process.pid}-${Date.now()}.json`), JSON.stringify(record));
}
