// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

const web = resolve(import.meta.dirname, '../..');
const generator = resolve(web, '../api/dist/openapi/openapi.main.js');
const scratch = mkdtempSync(join(tmpdir(), 'smarthost-schema-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('the checked-in API types match what the API documents now (run `npm run gen:api -w apps/web` if not)', () => {
  expect(existsSync(generator), `build the API first: ${generator}`).toBe(true);
  const document = join(scratch, 'openapi.json');
  const types = join(scratch, 'schema.d.ts');
  execFileSync(process.execPath, [generator, document], { stdio: 'pipe' });
  execFileSync(process.execPath, [join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js'), document, '-o', types], { stdio: 'pipe', cwd: web });
  expect(readFileSync(types, 'utf8')).toBe(readFileSync(resolve(web, 'src/api/schema.d.ts'), 'utf8'));
}, 60_000);
