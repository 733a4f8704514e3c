import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { secretDigest } from '@smarthost/relay-policy';
import { startDnsServer, type TestDnsServer, waitFor } from '@smarthost/testkit';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { REDIS } from '../core/tokens';
import { strangerToken } from '../policy/policy-fixtures';
import { startTestApp, type TestApp } from '../test/test-app';
import { BLACKLIST_CHECK_QUEUE, BLACKLIST_CHECK_SCHEDULER_ID, BLACKLIST_SWEEP_JOB } from './blacklist-check.queue';

describe('scheduled blacklist check (WORKERS=true)', () => {
  let dns: TestDnsServer;
  let app: TestApp;
  let queue: Queue;

  before(async () => {
    dns = await startDnsServer();
    dns.set('10.2.0.11.bl.test', 'A', ['127.0.0.2']);
    app = await startTestApp({ DNS_SERVERS: dns.server, WORKERS: 'true', DNSBL_IP_ZONES: 'bl.test', BLACKLIST_CHECK_INTERVAL_SECONDS: '120' });
    queue = new Queue(BLACKLIST_CHECK_QUEUE, { connection: app.app.get<Redis>(REDIS), prefix: app.config.REDIS_PREFIX });
  });
  after(async () => {
    await queue?.close();
    await app?.close();
    await dns?.close();
  });

  it('registers one scheduler under a fixed id, every BLACKLIST_CHECK_INTERVAL_SECONDS, in the configured prefix', async () => {
    const scheduler = await queue.getJobScheduler(BLACKLIST_CHECK_SCHEDULER_ID);
    assert.equal(scheduler?.name, BLACKLIST_SWEEP_JOB);
    assert.equal(Number(scheduler?.every), 120_000);
    assert.equal((await queue.getJobSchedulers()).length, 1);
  });

  it('a sweep job checks the relay IPs and records the listing', async () => {
    await app.prisma.relayNode.create({ data: { name: 'relay-sweep.example', tokenDigest: secretDigest(strangerToken()), publicIps: ['11.0.2.10'] } });
    await queue.add(BLACKLIST_SWEEP_JOB, {});
    const listing = await waitFor(() => app.prisma.blacklistListing.findFirst({ where: { target: '11.0.2.10', zone: 'bl.test', delistedAt: null } }), {
      timeoutMs: 10_000,
      description: 'the sweep to record the listing',
    });
    assert.equal(listing.targetType, 'ip');
  });
});
