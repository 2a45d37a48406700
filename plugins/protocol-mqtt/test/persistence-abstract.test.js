// aedes-persistence's shared conformance suite (node:test) against TesseraPersistence, built from
// dist (`npm test` builds first). Each test gets its own in-process kernel on a fresh temp data dir.
'use strict';
const { test, after } = require('node:test');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const abstractPersistence = require('aedes-persistence/abstract');
const { createBroker, createLogger } = require('@tessera/kernel');
const { memoryStoragePlugin } = require('@tessera/testing');
const { coordinationLocalPlugin } = require('@tessera/coordination-local');
const { createTesseraPersistence } = require('../dist/persistence');

const runtimes = [];
const dataDirs = [];

after(async () => {
  for (const runtime of runtimes) await runtime.stop();
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
});

async function freshPersistence() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-persistence-'));
  dataDirs.push(dataDir);
  const logger = createLogger({ level: 'silent' });
  const runtime = createBroker({ broker: { dataDir }, plugins: [memoryStoragePlugin, coordinationLocalPlugin], logger });
  runtimes.push(runtime);
  await runtime.start();
  const persistence = createTesseraPersistence({ broker: runtime.broker, logger });
  await persistence.open();
  return persistence;
}

abstractPersistence({ test, persistence: freshPersistence, testAsync: true });
