#!/usr/bin/env node
// Adds up the per-project results that tools/run-node-tests.mjs and the web's vitest run wrote.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = join(resolve(import.meta.dirname, '..'), '.test-results');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const counts = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  for (const key of Object.keys(total)) total[key] += counts[key] ?? 0;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
