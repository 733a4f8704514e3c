import { PolicyApiClient } from '../policy/policy-api-client';

/**
 * `bench:policy` (b): what a relay node holds once it has loaded the policy. Fetches the snapshot exactly as the
 * relay does (PolicyApiClient: the body read as it streams in, each entity parsed, validated against the contract
 * and added to the PolicyIndex), collects garbage (run with --expose-gc) and reports its memory as one JSON line on
 * stdout. Env: API_URL, RELAY_NODE_TOKEN.
 */
async function run(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage();
  const api = new PolicyApiClient(process.env.API_URL ?? '', process.env.RELAY_NODE_TOKEN ?? '');
  const t0 = performance.now();
  const index = await api.snapshot(new AbortController().signal);
  const t1 = performance.now();
  const { tenant, domain, credential } = index.counts();
  const counts = { tenants: tenant, domains: domain, credentials: credential };
  gc?.();
  gc?.();
  const held = process.memoryUsage();
  const line = {
    version: index.version,
    counts,
    fetchParseMs: t1 - t0, // fetch, parse, validate and index: one pass
    baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed },
    held: { rss: held.rss, heapUsed: held.heapUsed, heapTotal: held.heapTotal, external: held.external, arrayBuffers: held.arrayBuffers },
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  // Keep the index alive until here.
  if (index.version < 0) process.stdout.write('');
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
