#!/usr/bin/env node
// The dashboard in a real browser against the real API (fresh database, loopback DNS): sign up, add and verify a
// domain, create an SMTP credential and see its password once, then visit every page at desktop and phone width.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { launchBrowser } from './browser.mjs';
import { createRunner } from './harness.mjs';
import { journey } from './journey.mjs';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const root = resolve(here, '../../..');
const webDist = resolve(here, '../dist');
const shots = join(here, 'screenshots');

for (const [path, build] of [[join(webDist, 'index.html'), 'npm run build -w apps/web'], [join(root, 'apps/api/dist/test/test-app.js'), 'npm run build -w apps/api']]) {
  if (!existsSync(path)) {
    process.stderr.write(`e2e: ${path} is missing; run \`${build}\` first\n`);
    process.exit(1);
  }
}
mkdirSync(shots, { recursive: true });

const { startTestApp } = require(join(root, 'apps/api/dist/test/test-app.js'));
const { startDnsServer } = require(join(root, 'libs/testkit/dist/index.js'));

const dns = await startDnsServer();
const api = await startTestApp({ WEB_DIST_DIR: webDist, DNS_SERVERS: dns.server });
const browser = await launchBrowser();
const page = await browser.context.newPage();
const runner = createRunner({
  resultsFile: join(root, '.test-results/web-e2e.json'),
  onFailure: (name) => page.screenshot({ path: join(shots, `FAILED-${name.replace(/\W+/g, '-')}.png`), fullPage: true }),
});

try {
  await journey({ page, baseUrl: api.url, dns, shots, step: runner.step });
} finally {
  await browser.close();
  await api.close();
  await dns.close();
}
const { failed } = runner.finish();
process.exit(failed > 0 ? 1 : 0);
