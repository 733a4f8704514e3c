import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startDnsServer, type TestDnsServer, waitFor } from '@smarthost/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { REDIS } from '../core/tokens';
import { publish, recordOf } from '../domains/test/publish-records';
import type { DomainView } from '../domains/domain-schemas';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import {
  DOMAIN_RECHECK_EVERY_MS,
  DOMAIN_RECHECK_QUEUE,
  DOMAIN_RECHECK_SCHEDULER_ID,
  RECHECK_JOB,
  type DomainRecheckData,
  SWEEP_JOB,
} from './domain-recheck.queue';

describe('scheduled domain re-check (WORKERS=true)', () => {
  let dns: TestDnsServer;
  let app: TestApp;
  let api: ReturnType<typeof httpClient>;
  let queue: Queue<DomainRecheckData>;

  const addVerified = async () => {
    const created = (await api<DomainView>('POST', '/v1/domains', { name: `r${randomUUID().slice(0, 8)}.example.test` })).body;
    publish(dns, created);
    const verified = (await api<DomainView>('POST', `/v1/domains/${created.id}/verify`)).body;
    assert.equal(verified.status, 'verified');
    return verified;
  };
  const spfStatus = async (id: string) => recordOf((await api<DomainView>('GET', `/v1/domains/${id}`)).body, 'spf').status;

  before(async () => {
    dns = await startDnsServer();
    app = await startTestApp({ DNS_SERVERS: dns.server, WORKERS: 'true' });
    api = httpClient(app.url, (await createTenantFixture(app.prisma)).auth);
    queue = new Queue(DOMAIN_RECHECK_QUEUE, { connection: app.app.get<Redis>(REDIS), prefix: app.config.REDIS_PREFIX });
  });
  after(async () => {
    await queue?.close();
    await app?.close();
    await dns?.close();
  });

  it('registers one scheduler under a fixed id, in the configured prefix', async () => {
    const scheduler = await queue.getJobScheduler(DOMAIN_RECHECK_SCHEDULER_ID);
    assert.equal(scheduler?.name, SWEEP_JOB);
    assert.equal(Number(scheduler?.every), DOMAIN_RECHECK_EVERY_MS);
    assert.equal((await queue.getJobSchedulers()).length, 1);
  });

  it('a recheck job flags drift on its domain', async () => {
    const domain = await addVerified();
    dns.remove(domain.name, 'TXT');
    await queue.add(RECHECK_JOB, { domainId: domain.id });
    await waitFor(async () => (await spfStatus(domain.id)) === 'missing', { timeoutMs: 10_000 });
    const after = (await api<DomainView>('GET', `/v1/domains/${domain.id}`)).body;
    assert.equal(after.status, 'verified');
    assert.equal(after.drift, true);
  });

  it('a sweep fans out one recheck job per verified domain, with ids derived from the sweep id', async () => {
    const [one, two] = [await addVerified(), await addVerified()];
    dns.remove(one.name, 'TXT');
    dns.remove(two.name, 'TXT');
    const sweep = await queue.add(SWEEP_JOB, {}, { jobId: `sweep-${randomUUID()}` });
    await waitFor(async () => (await spfStatus(one.id)) === 'missing' && (await spfStatus(two.id)) === 'missing', { timeoutMs: 10_000 });
    const children = (await queue.getJobs(['completed', 'active', 'waiting', 'delayed'])).filter((job) => job.id?.includes(sweep.id!));
    assert.ok(children.some((job) => 'domainId' in job.data && job.data.domainId === one.id));
    assert.ok(children.some((job) => 'domainId' in job.data && job.data.domainId === two.id));
  });
});
