import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLogger } from '@smarthost/logger';
import { loadApiConfig } from '../config/api-config';
import { buildOpenApiDocument, createApp } from '../create-app';

/**
 * `node dist/openapi/openapi.main.js <out.json>`: writes the OpenAPI document without serving anything. The document
 * comes from the controllers' decorators alone, so no database is queried; secrets and the database URL fall back to
 * throwaway values when the environment has none, and the app is never listened on.
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: openapi.main.js <output.json>\n');
    process.exit(2);
  }
  const config = loadApiConfig({
    DATABASE_URL: 'postgresql://openapi@127.0.0.1:1/openapi',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    DKIM_MASTER_KEY: randomBytes(32).toString('hex'),
    ...process.env,
    WORKERS: 'false',
    WEB_DIST_DIR: '',
    LOG_LEVEL: 'warn',
  });
  const logger = createLogger({ name: 'openapi', level: config.LOG_LEVEL, destination: process.stderr });
  const app = await createApp(config, logger);
  const document = buildOpenApiDocument(app);
  writeFileSync(resolve(out), `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

main().then(
  // The Redis client the app built may still be reconnecting; the document is written, so stop here.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
