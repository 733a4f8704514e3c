#!/usr/bin/env node
// Runs a project's compiled tests (dist/**/*.spec.js; in a folder without a build, such as tools/, its *.spec.mjs)
// with Node's test runner and writes a summary to <workspace>/.test-results/<project>.json, which
// tools/test-summary.mjs adds up.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const projectDir = process.cwd();
const root = resolve(import.meta.dirname, '..');
const filter = process.argv.slice(2);

function specs(dir, suffix) {
  let found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(name === 'node_modules' ? [] : specs(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
  }
  return found;
}

const built = existsSync(join(projectDir, 'dist'));
const files = (built ? specs(join(projectDir, 'dist'), '.spec.js') : specs(projectDir, '.spec.mjs')).filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)));
const counts = { passed: 0, failed: 0, skipped: 0 };
if (files.length === 0) finish(0);

mkdirSync(join(root, '.test-results'), { recursive: true });
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const child = spawn(
  process.execPath,
  ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=' + join(root, '.test-results', basename(projectDir) + '.tap'), ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
child.on('exit', (code) => {
  const tap = readFileSync(join(root, '.test-results', basename(projectDir) + '.tap'), 'utf8');
  const count = (key) => Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  counts.passed = count('pass');
  counts.failed = count('fail') + count('cancelled');
  counts.skipped = count('skipped') + count('todo');
  finish(code ?? 1);
});

function finish(code) {
  mkdirSync(join(root, '.test-results'), { recursive: true });
  writeFileSync(join(root, '.test-results', basename(projectDir) + '.json'), JSON.stringify(counts));
  process.exit(code);
}
