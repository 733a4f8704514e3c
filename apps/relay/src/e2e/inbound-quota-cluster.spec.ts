import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDeliveryJob } from '@smarthost/queues';
import { rawSmtp } from '@smarthost/testkit';
import { baseSnapshot, forwardRoute, tenant } from '../test/fixtures';
import { startRelayProcesses, type RelayProcesses } from '../test/relay-processes';
import { message, startTestBed, type RelayTestBed } from '../test/test-relay';

const BODY = 'x'.repeat(300);

/** One connection sends inbound messages to `to` until one is refused; returns how many were queued and the refusal. */
async function sendUntilRefused(port: number, to: string): Promise<{ queued: number; refusal: string }> {
  const client = await rawSmtp('127.0.0.1', port);
  try {
    await client.read();
    await client.command('EHLO mx.remote.example');
    for (let queued = 0; ; queued += 1) {
      assert.equal((await client.command('MAIL FROM:<someone@remote.example>')).code, 250);
      let reply = await client.command(`RCPT TO:<${to}>`);
      if (reply.code === 250) {
        assert.equal((await client.command('DATA')).code, 354);
        reply = await client.command(`${message('someone@remote.example', to, BODY)}.`);
      }
      if (reply.code !== 250) return { queued, refusal: `${reply.code} ${reply.lines[0]?.slice(0, 5)}` };
    }
  } finally {
    await client.close();
  }
}

describe('two relay processes on one Redis count one inbound allowance per tenant', () => {
  const messagesPerDay = 40;
  const bytesPerDay = 30_000;
  let bed: RelayTestBed;
  let relays: RelayProcesses;

  before(async () => {
    bed = await startTestBed({
      snapshot: baseSnapshot({
        tenants: [tenant('t-acme', {}, {}, { messagesPerDay }), tenant('t-globex', {}, {}, { bytesPerDay })],
        inboundRoutes: [forwardRoute('r-acme-all', 't-acme', 'd-acme', '*', 10025), forwardRoute('r-globex-all', 't-globex', 'd-globex', '*', 10025)],
      }),
    });
    relays = await startRelayProcesses(bed, 2);
  });
  after(async () => {
    await relays.close();
    await bed.close();
  });

  const run = (to: (n: number) => string) =>
    Promise.all(Array.from({ length: 8 }, (_, n) => sendUntilRefused(relays.nodes[n % 2]?.ready.ports.inbound as number, to(n))));
  const jobsOf = async (tenantId: string) => (await bed.deliveryJobs()).map((job) => parseDeliveryJob(job.data)).filter((job) => job.tenantId === tenantId);

  it(`messages per day: 8 connections on 2 processes queue exactly ${messagesPerDay}, then every one gets 452 4.2.2`, async () => {
    const results = await run((n) => `c${n}@acme.test`);
    assert.equal(results.reduce((sum, r) => sum + r.queued, 0), messagesPerDay);
    assert.deepEqual(new Set(results.map((r) => r.refusal)), new Set(['452 4.2.2']));
    assert.equal((await jobsOf('t-acme')).length, messagesPerDay);
  });

  it(`bytes per day: the messages queued never add up to more than ${bytesPerDay} bytes, and the next one would not fit`, async () => {
    const results = await run((n) => `c${n}@globex.test`);
    assert.deepEqual(new Set(results.map((r) => r.refusal)), new Set(['452 4.2.2']));
    const jobs = await jobsOf('t-globex');
    const total = jobs.reduce((sum, job) => sum + job.size, 0);
    const largest = Math.max(...jobs.map((job) => job.size));
    assert.equal(jobs.length, results.reduce((sum, r) => sum + r.queued, 0));
    assert.ok(total <= bytesPerDay && total + largest > bytesPerDay, `${jobs.length} messages, ${total} bytes`);
    const [bytesKey] = await bed.redis.client.keys(`${bed.redis.prefix}:inbound:{t-globex}:bytes:*`);
    assert.equal(Number(await bed.redis.client.get(bytesKey as string)), total);
  });
});
