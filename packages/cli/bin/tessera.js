#!/usr/bin/env node
require('../dist/bin/tessera.js');
