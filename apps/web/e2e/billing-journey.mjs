import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertNoSidewaysScroll, DESKTOP, PHONE } from './journey.mjs';

/**
 * The owner (signed in by the main journey) buys a plan: Billing → Choose Starter → the fake Stripe's Checkout page →
 * "Pay and subscribe" → back on Billing, which shows the plan once Stripe's webhook has reached the API.
 */
export async function billingJourney({ page, baseUrl, shots, step, stripe, operator }) {
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  const yourPlan = page.getByRole('region', { name: 'Your plan' });

  await step('billing shows the free plan and the plans on sale', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await heading('Billing');
    await yourPlan.getByText('No subscription: the team is on the Free plan.').waitFor();
    await page.getByRole('row').filter({ hasText: 'Free' }).getByText('Current plan').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Choose Free' }).count(), 0, 'the current plan is not offered');
    await page.getByRole('button', { name: 'Choose Pro' }).waitFor();
    await shot('billing-plans');
  });

  await step('the owner chooses Starter and pays on the Stripe Checkout page', async () => {
    await page.getByRole('button', { name: 'Choose Starter' }).click();
    await page.waitForURL((url) => url.origin === stripe.url && url.pathname.startsWith('/checkout/'));
    await page.getByRole('button', { name: 'Pay and subscribe' }).click();
    await page.waitForURL((url) => url.origin === baseUrl && url.pathname === '/billing');
  });

  await step('back on Billing, the plan is Starter and the subscription active', async () => {
    await heading('Billing');
    await page.getByRole('status').filter({ hasText: 'The team is now on the Starter plan.' }).waitFor();
    await yourPlan.locator('.plan-summary').filter({ hasText: 'Starter' }).waitFor();
    await yourPlan.getByText(/Active\. Renews on /).waitFor();
    await page.getByRole('row').filter({ hasText: 'Starter' }).getByText('Current plan').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Choose / }).count(), 0, 'no second checkout while subscribed');
    await yourPlan.getByRole('button', { name: 'Manage billing' }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the checkout result is taken off the address');
    assert.equal([...stripe.subscriptions.values()].filter((s) => s.status === 'active').length, 1, 'one subscription at Stripe');
    await shot('billing');
  });

  await step('an operator’s override shows on Billing and on the Overview alike', async () => {
    const tenants = await operator('GET', '/v1/operator/tenants?limit=200');
    const tenant = tenants.body.items.find((t) => t.name === 'Customer Shop');
    assert.ok(tenant, 'the signed-up team is listed for the operator');
    const changed = await operator('PATCH', `/v1/operator/tenants/${tenant.id}`, { overrides: { messagesPerDay: 5000 } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await page.reload();
    await heading('Billing');
    const billingDay = yourPlan.locator('dl.limits > div').filter({ hasText: 'Recipients a day' });
    await billingDay.getByText('set by an operator; plan: 2,000').waitFor();
    assert.match(await billingDay.locator('dd').textContent(), /^5,000/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await heading('Overview');
    const usage = page.getByRole('region', { name: 'Usage' });
    await usage.getByText('of 5,000').waitFor();
    const overviewDay = usage.locator('dl.limits > div').filter({ hasText: 'Recipients a day' });
    await overviewDay.getByText('set by an operator').waitFor();
    assert.match(await overviewDay.locator('dd').textContent(), /^5,000/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await heading('Billing');
  });

  await step('billing works at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await heading('Billing');
    await yourPlan.getByText(/Active\. Renews on /).waitFor();
    await assertNoSidewaysScroll(page);
    await shot('billing-phone');
    await page.setViewportSize(DESKTOP);
  });
}
