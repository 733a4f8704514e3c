import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SchemasContainer } from '@prisma/schema-engine-wasm';

export interface PrismaPaths {
  schemaPath: string;
  migrationsDir: string;
}

/** `prisma/schema.prisma` and `prisma/migrations` in the workspace this package belongs to. */
export function defaultPrismaPaths(): PrismaPaths {
  const root = workspaceRoot(__dirname);
  return { schemaPath: join(root, 'prisma', 'schema.prisma'), migrationsDir: join(root, 'prisma', 'migrations') };
}

export function resolvePrismaPaths(overrides: Partial<PrismaPaths>): PrismaPaths {
  return {
    schemaPath: overrides.schemaPath ?? defaultPrismaPaths().schemaPath,
    migrationsDir: overrides.migrationsDir ?? defaultPrismaPaths().migrationsDir,
  };
}

export async function readSchema(schemaPath: string): Promise<SchemasContainer> {
  return { files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] };
}

/** The nearest folder above `start` whose package.json declares npm workspaces. */
function workspaceRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8'))) return dir;
  }
  throw new Error(`no npm workspace root above ${start}`);
}
