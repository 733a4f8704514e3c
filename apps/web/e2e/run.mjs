#!/usr/bin/env node
// The dashboard in a real browser against the whole service (the API and a relay node as real processes, a fresh
// database, loopback DNS, a sink as the remote MX, a fake Stripe): sign up, add and verify a domain, create an SMTP
// credential and see its password once, run the nodemailer and Python snippets it shows and send with swaks, watch
// the messages arrive as delivered, follow a rejection to its reason, buy a plan through Stripe Checkout, and visit
// every page at desktop and phone width (1280 and 390 px), saving screenshots of each.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { billingJourney } from './billing-journey.mjs';
import { launchBrowser } from './browser.mjs';
import { createRunner } from './harness.mjs';
import { journey } from './journey.mjs';
import { phoneJourney } from './phone-journey.mjs';
import { fakeStripeForApi } from './stripe.mjs';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const root = resolve(here, '../../..');
const webDist = resolve(here, '../dist');
const shots = join(here, 'screenshots');

for (const [path, build] of [[join(webDist, 'index.html'), 'npm run build -w apps/web'], [join(root, 'apps/e2e/dist/stack.js'), 'npx nx run-many -t build']]) {
  if (!existsSync(path)) {
    process.stderr.write(`e2e: ${path} is missing; run \`${build}\` first\n`);
    process.exit(1);
  }
}
mkdirSync(shots, { recursive: true });

const { startStack } = require(join(root, 'apps/e2e/dist/stack.js'));
const { swaks, startFakeStripe } = require(join(root, 'libs/testkit/dist/index.js'));

const { stripe, apiEnv } = await fakeStripeForApi(startFakeStripe);
// advertiseSmtp: the dashboard's snippets name the relay's real ports, so the test can run what it shows.
const stack = await startStack({ webDistDir: webDist, apiEnv, advertiseSmtp: true }).catch(async (error) => {
  await stripe.close();
  throw error;
});
stripe.setWebhookUrl(`${stack.apiUrl}/v1/billing/stripe-webhook`);
const browser = await launchBrowser();
const page = await browser.context.newPage();
const runner = createRunner({
  resultsFile: join(root, '.test-results/web-e2e.json'),
  onFailure: (name) => page.screenshot({ path: join(shots, `FAILED-${name.replace(/\W+/g, '-')}.png`), fullPage: true }),
});

try {
  await journey({ page, baseUrl: stack.apiUrl, dns: stack.dns, shots, step: runner.step, stack, swaks });
  await billingJourney({ page, baseUrl: stack.apiUrl, shots, step: runner.step, stripe, operator: stack.operator });
  await phoneJourney({ page, baseUrl: stack.apiUrl, shots, step: runner.step });
} finally {
  await browser.close();
  await stack.stop();
  await stripe.close();
}
const { failed } = runner.finish();
process.exit(failed > 0 ? 1 : 0);
