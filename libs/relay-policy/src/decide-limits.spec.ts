import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInboundQuota, checkMessageSize, checkQuota, type InboundUsage, type UsageCounts } from './decide-limits';
import { credential, fixtureSnapshot } from './test/fixture';

const tenant = fixtureSnapshot().tenants[0]!; // 1000/day, 20000/month, 60/minute
const free: UsageCounts = { day: 0, month: 0, tenantMinute: 0, credentialMinute: 0 };

describe('checkQuota', () => {
  const table: [string, Partial<UsageCounts>, number | null, string][] = [
    ['nothing used', {}, null, 'ok'],
    ['one message left today', { day: 999 }, null, 'ok'],
    ['the day used up', { day: 1000 }, null, 'quota_daily_exhausted'],
    ['the month used up', { month: 20000, day: 1000 }, null, 'quota_monthly_exhausted'],
    ['the tenant rate reached', { tenantMinute: 60 }, null, 'rate_limited'],
    ['the credential rate reached', { credentialMinute: 5 }, 5, 'rate_limited'],
    ['under the credential rate', { credentialMinute: 4 }, 5, 'ok'],
    ['no credential rate set', { credentialMinute: 10_000 }, null, 'ok'],
  ];
  for (const [what, usage, ratePerMinute, expected] of table) {
    it(`${what} → ${expected}`, () => {
      const result = checkQuota(tenant, credential('c', 'acme', { ratePerMinute }), { ...free, ...usage });
      assert.equal(result === null ? 'ok' : result.refusal, expected);
    });
  }
});

describe('checkMessageSize', () => {
  it('allows up to the limit and refuses beyond it', () => {
    assert.equal(checkMessageSize(tenant, 1_000_000), null);
    assert.equal(checkMessageSize(tenant, 1_000_001)?.refusal, 'message_too_large');
  });
});

describe('checkInboundQuota', () => {
  const limits = { messagesPerDay: 100, bytesPerDay: 10_000, backlogBytes: 4_000 };
  const none: InboundUsage = { messagesToday: 0, bytesToday: 0, backlogBytes: 0 };
  const table: [string, Partial<InboundUsage>, number, string][] = [
    ['nothing used', {}, 1000, 'ok'],
    ['the last message of the day', { messagesToday: 99 }, 1000, 'ok'],
    ['the messages of the day used up', { messagesToday: 100 }, 0, 'inbound_quota_exhausted'],
    ['exactly the bytes left today', { bytesToday: 9_000 }, 1000, 'ok'],
    ['one byte over today', { bytesToday: 9_000 }, 1001, 'inbound_quota_exhausted'],
    ['no bytes left at RCPT', { bytesToday: 10_000 }, 0, 'inbound_quota_exhausted'],
    ['exactly the backlog room', { backlogBytes: 3_000 }, 1000, 'ok'],
    ['over the backlog', { backlogBytes: 3_500 }, 1000, 'inbound_backlog_full'],
    ['a full backlog at RCPT', { backlogBytes: 4_000 }, 0, 'inbound_backlog_full'],
  ];
  for (const [what, usage, bytes, expected] of table) {
    it(`${what} → ${expected}`, () => {
      const result = checkInboundQuota(limits, { ...none, ...usage }, bytes);
      assert.equal(result === null ? 'ok' : result.refusal, expected);
    });
  }
});
