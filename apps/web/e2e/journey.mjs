import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };
const PHONE_390 = { width: 390, height: 844 };
const DOMAIN = 'shop-e2e.example.com';

/** What a customer publishes at their DNS provider, from the records the dashboard showed. */
function publish(dns, records) {
  for (const record of records) {
    if (record.type === 'TXT') dns.set(record.host, 'TXT', [record.value]);
    if (record.type === 'CNAME') dns.set(record.host, 'CNAME', [record.value]);
    if (record.type === 'MX') dns.set(record.host, 'MX', [{ exchange: record.value, priority: 10 }]);
  }
}

/** The records table as the user sees it: type, host and value cells of each row. */
async function recordsOnScreen(page) {
  return page.locator('table.records tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td');
      return { type: cells[0].textContent.trim(), host: cells[1].querySelector('code').textContent, value: cells[2].querySelector('code').textContent };
    }),
  );
}

export async function assertNoSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const culprits = overflow > 0 ? await page.evaluate(() => [...document.querySelectorAll('body *')].filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((el) => `${el.tagName}.${el.className}`)) : [];
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px: ${culprits.join(', ')}`);
}

/**
 * Runs a snippet as a customer would: pasted into a file and run. The file sits inside the repository so that
 * `import 'nodemailer'` resolves to the installed package.
 */
async function runPasted(command, fileName, text) {
  const dir = mkdtempSync(join(import.meta.dirname, '.snippet-'));
  try {
    writeFileSync(join(dir, fileName), text);
    const { stdout } = await promisify(execFile)(command, [fileName], { cwd: dir, timeout: 60_000 });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the page's Copy button put on the clipboard. */
async function copied(page, button) {
  await page.getByRole('button', { name: button }).click();
  await page.getByRole('status').filter({ hasText: 'copied' }).first().waitFor();
  return page.evaluate(() => navigator.clipboard.readText());
}

const fieldValues = (page) => page.locator('input, textarea').evaluateAll((fields) => fields.map((field) => field.value));

export async function journey({ page, baseUrl, dns, shots, step, stack, swaks }) {
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  const nav = async (label, title) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
    await heading(title);
  };
  const email = `owner-${Date.now()}@customer.example`;
  let password;
  let username;
  const pasted = {};

  await step('a visitor is sent to the log-in page', async () => {
    await page.goto(`${baseUrl}/domains`);
    await heading('Log in');
    await shot('01-login');
  });

  await step('sign-up shows what is missing next to each field', async () => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await heading('Create your account');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter your name.').waitFor();
    await page.getByText('Use at least 12 characters.').waitFor();
    await shot('02-signup-errors');
  });

  await step('the server’s field message shows next to the email field', async () => {
    await page.getByLabel('Your name').fill('Olivia Owner');
    await page.getByLabel('Email').fill('not-an-address@');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByLabel('Team or company name').fill('Customer Shop');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Must be an email address').waitFor();
  });

  await step('sign up lands on the overview', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading('Domains'); // the deep link from before logging in
    await nav('Overview', 'Overview');
    await page.getByText('Recipients today').waitFor();
    await page.getByText('No mail in this period.').waitFor();
    await shot('03-overview');
  });

  let domainUrl;
  await step('add a domain and see the DNS records to publish', async () => {
    await nav('Domains', 'Domains');
    await page.getByText('No domains yet.').waitFor();
    await page.getByLabel('Domain name').fill(DOMAIN);
    await page.getByRole('button', { name: 'Add domain' }).click();
    await heading(DOMAIN);
    domainUrl = page.url();
    const records = await recordsOnScreen(page);
    assert.ok(records.length >= 4, `expected the DNS records, saw ${records.length}`);
    assert.ok(records.some((r) => r.type === 'TXT' && r.value.startsWith('v=spf1')), 'an SPF record is shown');
    await shot('04-domain-records');
  });

  await step('verify now, after publishing the records on the loopback DNS server', async () => {
    publish(dns, await recordsOnScreen(page));
    await page.getByRole('button', { name: 'Verify now' }).click();
    await page.getByRole('status').filter({ hasText: 'Verified: every required record was found.' }).waitFor();
    assert.equal(await page.locator('table.records .badge').filter({ hasText: 'Not found' }).count(), 0);
    await shot('05-domain-verified');
  });

  await step('create a credential: its password and client settings are shown once', async () => {
    await nav('SMTP credentials', 'SMTP credentials');
    await page.getByRole('button', { name: 'Create credential' }).click();
    await page.getByText('Name the credential after the app or server that will use it.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('shop backend');
    await page.getByLabel('IP allowlist (optional)').fill('203.0.113.0/24\nnot-an-ip');
    await page.getByRole('button', { name: 'Create credential' }).click();
    await page.getByText(/must be an IPv4 or IPv6 address/i).waitFor();
    // The office network, plus loopback where this test's swaks connects from.
    await page.getByLabel('IP allowlist (optional)').fill('203.0.113.0/24\n127.0.0.0/8');
    await page.getByRole('button', { name: 'Create credential' }).click();
    const secret = page.getByLabel('SMTP password', { exact: true });
    await secret.waitFor();
    password = await secret.inputValue();
    username = (await page.locator('dt', { hasText: 'Username' }).locator('+ dd code').textContent())?.trim();
    assert.ok(username, 'the username is shown with the password');
    assert.ok(password && password.length >= 22, 'a long generated password');
    await page.getByText('Postfix relayhost').click();
    await page.getByText('relayhost = [').waitFor();
    // The settings the API advertises are the ports this stack's relay really listens on.
    const { submission } = stack.nodes[0].ports;
    await page.locator('dd', { hasText: `${submission} (STARTTLS)` }).waitFor();
    await page.getByText('This relay uses a self-signed certificate').waitFor();
    pasted.nodemailer = await copied(page, 'Copy nodemailer script');
    assert.match(pasted.nodemailer, new RegExp(`host: 'localhost',\\n  port: ${submission},`));
    assert.ok(pasted.nodemailer.includes(password), 'the snippet carries the new password');
    assert.match(pasted.nodemailer, /rejectUnauthorized: false }, \/\/ demo only: the certificate is self-signed/);
    await page.getByText('Python (smtplib)').click();
    pasted.python = await copied(page, 'Copy Python smtplib script');
    await page.getByText('Test from a shell (swaks)').click();
    pasted.swaks = await copied(page, 'Copy swaks command');
    await shot('06-credential-password-once');
  });

  await step('the password is gone once saved, and never shown again', async () => {
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('heading', { name: /shop backend/ }).waitFor();
    assert.equal(await page.getByText(password).count(), 0);
    assert.ok(!(await fieldValues(page)).includes(password), 'no field holds the password');
    await page.reload();
    await heading('SMTP credentials');
    await page.getByRole('heading', { name: /shop backend/ }).waitFor();
    assert.ok(!(await page.content()).includes(password), 'the password is not on the page after a reload');
    assert.ok(!(await fieldValues(page)).includes(password), 'no field holds the password after a reload');
    await shot('07-credentials');
  });

  await step('every other page loads with its empty state', async () => {
    await nav('Messages', 'Messages');
    await page.getByText('No messages yet.').waitFor();
    await shot('08-messages');
    await nav('Suppressions', 'Suppressions');
    await page.getByLabel('Email address').fill('gone@elsewhere.example');
    await page.getByRole('button', { name: 'Suppress' }).click();
    await page.getByRole('rowheader', { name: 'gone@elsewhere.example' }).waitFor();
    await shot('09-suppressions');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'suppressions.csv');
    assert.match(await readFile(await download.path(), 'utf8'), /gone@elsewhere\.example/);
    await nav('Inbound routes', 'Inbound routes');
    await page.getByText('No domain has inbound mail turned on.').waitFor();
    await shot('10-inbound-routes');
    await nav('API keys', 'API keys');
    await page.getByLabel('Name').fill('ci deploy');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByLabel('API key', { exact: true }).waitFor();
    assert.match(await page.getByLabel('API key', { exact: true }).inputValue(), /\S{20,}/);
    await shot('11-api-key-once');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await nav('Members', 'Members');
    await page.getByRole('rowheader', { name: 'Olivia Owner' }).waitFor();
    await shot('12-members');
    await nav('Settings', 'Settings');
    await page.getByLabel('Team name').waitFor();
    await shot('13-settings');
  });

  await step('inbound routes: each route shows its TLS setting; "encrypt, do not verify" is a choice of its own', async () => {
    await page.goto(domainUrl);
    await heading(DOMAIN);
    await page.getByRole('button', { name: 'Turn inbound on' }).click();
    await page.getByRole('button', { name: 'Turn inbound off' }).waitFor();
    await nav('Inbound routes', 'Inbound routes');
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add route' }) });
    assert.equal(await form.getByLabel('Mail server host').getAttribute('placeholder'), 'mail.example.com');
    assert.equal(await form.getByLabel('TLS to my server').inputValue(), 'require_verified', 'verified unless chosen otherwise');
    await form.getByLabel('Address (local part)').fill('support');
    await form.getByLabel('Mail server host').fill('10.0.0.5');
    await form.getByRole('button', { name: 'Add route' }).click();
    await form.getByText('Must not be a private address').waitFor();
    await form.getByLabel('Mail server host').fill('mail.shop-e2e.example.com');
    await form.getByLabel('TLS to my server').selectOption({ label: 'Encrypt, do not verify (self-signed)' });
    await form.getByRole('button', { name: 'Add route' }).click();
    const support = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `support@${DOMAIN}` }) });
    await support.getByText('TLS, certificate not verified').waitFor();
    await form.getByLabel('Address (local part)').fill('*');
    await form.getByLabel('Mail server host').fill('mx.shop-e2e.example.com');
    await form.getByRole('button', { name: 'Add route' }).click();
    const catchAll = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `*@${DOMAIN}` }) });
    await catchAll.getByText('TLS, certificate verified').waitFor();
    await shot('10b-inbound-routes-tls');
    await page.setViewportSize(PHONE_390);
    await assertNoSidewaysScroll(page);
    await shot('10c-phone-inbound-routes-tls');
    await page.setViewportSize(DESKTOP);
  });

  await step('mail sent with swaks shows as delivered in the log and in the chart', async () => {
    stack.routeToSink('buyer.example');
    await stack.policySettled(); // the node serves the credential created in the browser
    const ports = stack.nodes[0].ports;
    const sent = await swaks([
      '--server', '127.0.0.1', '--port', String(ports.submission), '--tls', '--auth', 'PLAIN',
      '--auth-user', username, '--auth-password', password,
      '--from', `orders@${DOMAIN}`, '--h-From', `Shop <orders@${DOMAIN}>`, '--to', 'alice@buyer.example',
      '--h-Subject', 'Your order has shipped',
    ]);
    assert.equal(sent.exitCode, 0, sent.transcript);
    await stack.sink.waitForMessages(1, 30_000);
    await nav('Messages', 'Messages');
    const row = page.getByRole('row').filter({ hasText: 'Your order has shipped' });
    for (let i = 0; i < 60 && (await row.filter({ hasText: 'delivered' }).count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await heading('Messages');
    }
    await row.filter({ hasText: 'delivered' }).waitFor();
    await shot('16-message-delivered');
    await row.getByRole('link').first().click();
    await page.getByText('accepted').first().waitFor();
    await page.getByText('delivered').first().waitFor();
    await shot('17-message-timeline');
    await nav('Overview', 'Overview');
    await page.waitForFunction(() => [...document.querySelectorAll('figure.chart desc')].some((d) => /Delivered 1\b/.test(d.textContent ?? '')));
    await page.getByText(/1 relay node accepting mail/).waitFor();
    await shot('18-overview-delivered');
  });

  await step('the nodemailer snippet the credentials page showed, pasted into a script and run, is delivered', async () => {
    stack.routeToSink('example.com'); // the snippet writes to you@example.com
    const reply = await runPasted(process.execPath, 'send.mjs', pasted.nodemailer);
    assert.match(reply, /^250 /, `nodemailer printed: ${reply}`);
    const received = await stack.sink.waitForMessages(2, 30_000);
    assert.deepEqual(received[1].envelope.rcptTo, ['you@example.com']);
    assert.match(received[1].raw.toString(), /^Subject: Hello from Smarthost\r?$/m);
  });

  await step('so are the Python smtplib and swaks snippets', async () => {
    await runPasted('python3', 'send.py', pasted.python);
    await runPasted('bash', 'send.sh', pasted.swaks);
    await stack.sink.waitForMessages(4, 30_000);
    await nav('Messages', 'Messages');
    const rows = page.getByRole('row').filter({ hasText: 'Hello from Smarthost' }).filter({ hasText: 'delivered' });
    for (let i = 0; i < 60 && (await rows.count()) < 2; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await heading('Messages');
    }
    assert.equal(await rows.count(), 2, 'the nodemailer and Python messages show as delivered in the log');
  });

  await step('rejected mail is explained on the overview and opens the log filtered by its reason', async () => {
    const ports = stack.nodes[0].ports;
    const refused = await swaks([
      '--server', '127.0.0.1', '--port', String(ports.submission), '--tls', '--auth', 'PLAIN',
      '--auth-user', username, '--auth-password', password,
      '--from', 'someone@not-ours.example', '--to', 'alice@buyer.example',
    ]);
    assert.match(refused.transcript, /553 5\.7\.1/);
    await nav('Overview', 'Overview');
    const reason = page.getByRole('link', { name: 'Sender not on a verified domain of this credential' });
    for (let i = 0; i < 60 && (await reason.count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await heading('Overview');
    }
    assert.match((await reason.locator('xpath=..').textContent()) ?? '', /\b1\b/);
    await shot('19-overview-rejected');
    await reason.click();
    await heading('Rejected mail');
    await page.getByRole('heading', { level: 2, name: 'Sender not on a verified domain of this credential' }).waitFor();
    await page.getByText(/553 5\.7\.1 Sender address not owned by user/).waitFor();
    await shot('20-rejected');
  });

  await step('the dashboard works at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(domainUrl);
    await heading(DOMAIN);
    await assertNoSidewaysScroll(page);
    await shot('14-phone-domain');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await heading('Overview');
    await assertNoSidewaysScroll(page);
    await shot('15-phone-overview');
    await page.setViewportSize(DESKTOP);
  });

  await step('log out returns to the log-in page, and log in again works', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await heading('Log in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('That email and password do not match an account.').waitFor();
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await heading('Overview');
  });
}
