#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file/package, and the share of
// idle / GC / program time, so a benchmark run can say where the worker's CPU went.
// Usage: node tools/bench/cpuprofile-top.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node tools/bench/cpuprofile-top.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i += 1) {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url) => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13).split('/').slice(0, url.slice(nm + 13).startsWith('@') ? 2 : 1).join('/');
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(url.lastIndexOf('/', dist - 1) + 1);
  return url.replace(/^file:\/\//, '');
};
const fnKey = (node) => `${node.callFrame.functionName || '(anonymous)'}  ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const group = (keyOf) => {
  const sums = new Map();
  for (const [id, time] of self) {
    const key = keyOf(byId.get(id));
    sums.set(key, (sums.get(key) ?? 0) + time);
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
};
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
const ms = (t) => `${(t / 1000).toFixed(0).padStart(7)} ms`;
process.stdout.write(`profile ${file}: ${(total / 1e6).toFixed(2)} s sampled\n\n-- by file/package (self) --\n`);
for (const [key, time] of group((node) => where(node.callFrame.url)).slice(0, top)) process.stdout.write(`${pct(time)} ${ms(time)}  ${key}\n`);
process.stdout.write('\n-- by function (self) --\n');
for (const [key, time] of group(fnKey).slice(0, top)) process.stdout.write(`${pct(time)} ${ms(time)}  ${key}\n`);

// `CALLERS=name` (env): the call paths that lead to a function, heaviest first.
if (process.env.CALLERS) {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const paths = new Map();
  for (const [id, time] of self) {
    const node = byId.get(id);
    if (node.callFrame.functionName !== process.env.CALLERS) continue;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < 8; p = parent.get(p)) chain.push(fnKey(byId.get(p)));
    const key = chain.join('\n      <- ');
    paths.set(key, (paths.get(key) ?? 0) + time);
  }
  process.stdout.write(`\n-- callers of ${process.env.CALLERS} --\n`);
  for (const [key, time] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 5)) process.stdout.write(`${pct(time)} ${ms(time)}\n      <- ${key}\n`);
}
