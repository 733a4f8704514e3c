#!/usr/bin/env node
// Fails when the Nx project graph has an app depending on another app, or the web app on a server lib.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const file = join(mkdtempSync(join(tmpdir(), 'nx-graph-')), 'graph.json');
execFileSync('npx', ['nx', 'graph', `--file=${file}`], { stdio: ['ignore', 'ignore', 'inherit'] });
const { graph } = JSON.parse(readFileSync(file, 'utf8'));
const tags = (name) => graph.nodes[name]?.data?.tags ?? [];
const problems = [];
for (const [source, deps] of Object.entries(graph.dependencies)) {
  for (const { target } of deps) {
    if (!graph.nodes[target]) continue; // npm packages
    if (tags(source).includes('type:app') && tags(target).includes('type:app')) problems.push(`${source} → ${target}: apps never import apps`);
    if (tags(source).includes('scope:web') && !tags(target).includes('scope:shared')) problems.push(`${source} → ${target}: web imports only shared libs`);
  }
}
for (const [source, deps] of Object.entries(graph.dependencies)) {
  const local = deps.map((d) => d.target).filter((t) => graph.nodes[t]);
  console.log(`${source.padEnd(28)} → ${local.join(', ') || '(none)'}`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('project graph: apps depend only on libs');
