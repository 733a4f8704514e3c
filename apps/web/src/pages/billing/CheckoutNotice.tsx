/** How the visit back from Stripe Checkout is going; one live region, so each change is read out. */
export function CheckoutNotice({ outcome, updated, waitedTooLong, planName }: { outcome: 'success' | 'canceled'; updated: boolean; waitedTooLong: boolean; planName: string | undefined }) {
  const [tone, text] =
    outcome === 'canceled'
      ? ['info', 'Checkout canceled: nothing was charged, and the plan is unchanged.']
      : updated
        ? ['ok', `Payment received. The team is now on the ${planName ?? 'new'} plan.`]
        : waitedTooLong
          ? ['warn', 'Payment received, but Stripe has not confirmed it to us yet, so the plan is unchanged for now. It changes by itself once Stripe confirms: reload this page in a few minutes. If it has not changed within an hour, contact support.']
          : ['info', 'Payment received — your plan is being updated. This usually takes a few seconds.'];
  return (
    <div role="status" className={`alert alert-${tone}`}>
      <p>{text}</p>
    </div>
  );
}
