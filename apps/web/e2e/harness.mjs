// A tiny sequential runner: the journey's steps depend on each other, so after a failure the rest are skipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function createRunner({ resultsFile, onFailure }) {
  const results = [];
  let broken = false;
  return {
    async step(name, body) {
      if (broken) {
        results.push({ name, status: 'skipped' });
        process.stdout.write(`- skip ${name}\n`);
        return;
      }
      const started = Date.now();
      try {
        await body();
        results.push({ name, status: 'passed' });
        process.stdout.write(`✔ ${name} (${Date.now() - started} ms)\n`);
      } catch (error) {
        broken = true;
        results.push({ name, status: 'failed' });
        process.stdout.write(`✖ ${name}\n  ${error?.stack ?? error}\n`);
        await onFailure?.(name).catch(() => undefined);
      }
    },
    finish() {
      const count = (status) => results.filter((r) => r.status === status).length;
      const counts = { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
      if (resultsFile) {
        mkdirSync(join(resultsFile, '..'), { recursive: true });
        writeFileSync(resultsFile, JSON.stringify(counts));
      }
      process.stdout.write(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
      return counts;
    },
  };
}
