#!/usr/bin/env node
// Runs `prisma generate` offline and skips it when nothing it depends on changed.
//
// The Prisma 7 CLI refuses to start without its native schema-engine binary, which is downloaded
// from the internet and cannot be fetched here. `generate` never runs that binary, so pointing
// PRISMA_SCHEMA_ENGINE_BINARY at a placeholder is enough. The placeholder fails loudly if anything
// does run it, instead of a random file being executed.
//
// Usage: node tools/prisma-generate.mjs [--schema <path>] [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const schemaArg = args.indexOf('--schema');
const schemaPath = schemaArg >= 0 ? resolve(args[schemaArg + 1] ?? '') : join(root, 'prisma', 'schema.prisma');
const force = args.includes('--force');

if (!existsSync(schemaPath)) {
  console.error(`prisma-generate: no schema at ${schemaPath}`);
  process.exit(1);
}

const schema = readFileSync(schemaPath, 'utf8');
const outputDir = generatorOutput(schema, schemaPath);
const stampPath = join(outputDir, '.schema-hash');
const prismaVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'prisma', 'package.json'), 'utf8')).version;
const hash = createHash('sha256').update(`${prismaVersion}\n${schemaPath}\n${schema}`).digest('hex');

if (!force && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash) process.exit(0);

const result = spawnSync(process.execPath, [join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', schemaPath], {
  cwd: root,
  // Prisma's banner and progress lines are noise in every build; they are shown when it fails.
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: placeholderEngine(),
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
  },
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  if (result.error) console.error(`prisma-generate: ${result.error.message}`);
  process.exit(result.status ?? 1);
}
mkdirSync(outputDir, { recursive: true });
writeFileSync(stampPath, hash);

/** The client generator's `output`, resolved like Prisma does: relative to the schema file. */
function generatorOutput(text, path) {
  const block = text.match(/generator\s+client\s*\{([^}]*)\}/)?.[1] ?? '';
  const output = block.match(/^\s*output\s*=\s*"([^"]+)"/m)?.[1];
  if (!output) {
    console.error(`prisma-generate: generator client in ${path} has no output`);
    process.exit(1);
  }
  return resolve(dirname(path), output);
}

function placeholderEngine() {
  const path = join(tmpdir(), 'smarthost-prisma-schema-engine-placeholder');
  if (!existsSync(path)) {
    writeFileSync(path, '#!/bin/sh\necho "native Prisma schema engine unavailable: use npm run db:migrate (libs/db)" >&2\nexit 1\n');
    chmodSync(path, 0o755);
  }
  return path;
}
