#!/usr/bin/env node
// Turns vitest's JSON report into the per-project summary that tools/test-summary.mjs adds up.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = join(resolve(import.meta.dirname, '..'), '.test-results');
const report = JSON.parse(readFileSync(join(dir, 'web.vitest.json'), 'utf8'));
const counts = {
  passed: report.numPassedTests,
  failed: report.numFailedTests,
  skipped: report.numPendingTests + report.numTodoTests,
};
writeFileSync(join(dir, 'web.json'), JSON.stringify(counts));
