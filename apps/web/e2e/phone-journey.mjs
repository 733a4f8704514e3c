import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertNoSidewaysScroll, DESKTOP, PHONE } from './journey.mjs';

/** Every signed-in page: its address (or how to reach it) and its heading. */
const PAGES = [
  { name: 'overview', path: '/', title: 'Overview' },
  { name: 'domains', path: '/domains', title: 'Domains' },
  { name: 'domain', path: '/domains', title: /\./, open: (page) => page.locator('main a[href^="/domains/"]').first().click() },
  { name: 'credentials', path: '/credentials', title: 'SMTP credentials' },
  { name: 'messages', path: '/messages', title: 'Messages' },
  { name: 'message', path: '/messages', title: /./, open: (page) => page.locator('table.messages a').first().click() },
  { name: 'rejected', path: '/messages/rejected', title: 'Rejected mail' },
  { name: 'suppressions', path: '/suppressions', title: 'Suppressions' },
  { name: 'inbound-routes', path: '/inbound-routes', title: 'Inbound routes' },
  { name: 'api-keys', path: '/api-keys', title: 'API keys' },
  { name: 'members', path: '/members', title: 'Members' },
  { name: 'billing', path: '/billing', title: 'Billing' },
  { name: 'settings', path: '/settings', title: 'Settings' },
];

/** The message log at 390 px: one card per message, as wide as the screen, its status in view. */
async function assertMessageCards(page) {
  const rows = await page.locator('table.messages tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const badge = tr.querySelector('.badge').getBoundingClientRect();
      return { width: tr.getBoundingClientRect().width, badgeRight: badge.right, badgeWidth: badge.width, text: tr.querySelector('.badge').textContent };
    }),
  );
  assert.ok(rows.length > 0, 'the log lists messages');
  for (const row of rows) {
    assert.ok(row.width > PHONE.width * 0.8, `a message card is ${row.width}px wide`);
    assert.ok(row.badgeWidth > 0 && row.badgeRight <= PHONE.width, `the status "${row.text}" is in view`);
  }
}

/** Host names on screen wrap only after a dot: no label of one is split over two lines. */
async function assertNamesWrapAtDots(page) {
  const split = await page.locator('.dns-name > span').evaluateAll((labels) => labels.filter((label) => label.getClientRects().length > 1).map((label) => label.textContent));
  assert.deepEqual(split, [], 'labels split across lines');
}

/** Each page at desktop (1280 px) and phone (390 px) width, screenshots of both; on the phone nothing scrolls sideways. */
export async function phoneJourney({ page, baseUrl, shots, step }) {
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const visit = async ({ path, title, open }) => {
    await page.goto(`${baseUrl}${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    if (open) await open(page);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText(/^Loading /).first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  };

  for (const spec of PAGES) {
    await step(`${spec.name} at 1280 and 390 px`, async () => {
      await page.setViewportSize(DESKTOP);
      await visit(spec);
      await shot(`w1280-${spec.name}`);
      await page.setViewportSize(PHONE);
      await visit(spec);
      await assertNoSidewaysScroll(page);
      if (spec.name === 'messages') await assertMessageCards(page);
      if (spec.name.startsWith('domain')) await assertNamesWrapAtDots(page);
      await shot(`w390-${spec.name}`);
    });
  }

  await step('log-in and sign-up at 1280 and 390 px', async () => {
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    for (const [name, path, title] of [['login', '/login', 'Log in'], ['signup', '/signup', 'Create your account']]) {
      for (const [width, size] of [['w1280', DESKTOP], ['w390', PHONE]]) {
        await page.setViewportSize(size);
        await page.goto(`${baseUrl}${path}`);
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        if (size === PHONE) await assertNoSidewaysScroll(page);
        await shot(`${width}-${name}`);
      }
    }
    await page.setViewportSize(DESKTOP);
  });
}
