import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DnsRecordStatus, DomainStatus } from '@smarthost/db';
import { planVerification, type PlanInput } from './verification-plan';

const NAME = 'example.com';
const ACTIVE = { id: '01', selector: 'old', status: 'active' as const, verifiedAt: new Date() };
const PENDING = { id: '02', selector: 'new', status: 'pending' as const, verifiedAt: null };

function input(status: DomainStatus, results: Partial<Record<string, DnsRecordStatus>>, keys: PlanInput['keys']): PlanInput {
  const record = (id: string, kind: PlanInput['records'][number]['kind'], host: string) => ({
    id,
    kind,
    host,
    result: { status: (results[id] ?? 'ok') as Exclude<DnsRecordStatus, 'pending'>, seenValue: null, detail: null },
  });
  return {
    domain: { name: NAME, status },
    records: [
      record('ownership', 'ownership', `_smarthost.${NAME}`),
      record('spf', 'spf', NAME),
      record('dmarc', 'dmarc', `_dmarc.${NAME}`),
      record('dkim-old', 'dkim', `old._domainkey.${NAME}`),
      record('dkim-new', 'dkim', `new._domainkey.${NAME}`),
    ],
    keys,
  };
}

describe('planVerification', () => {
  const cases: [string, PlanInput, DomainStatus][] = [
    ['all gate records ok verifies a pending domain', input('pending', {}, [PENDING]), 'verified'],
    ['DMARC is not part of the gate', input('pending', { dmarc: 'missing' }, [PENDING]), 'verified'],
    ['a missing ownership TXT keeps it pending', input('pending', { ownership: 'missing' }, [PENDING]), 'pending'],
    ['a wrong SPF keeps it pending', input('pending', { spf: 'mismatch' }, [PENDING]), 'pending'],
    ['an unpublished first key keeps it pending', input('pending', { 'dkim-new': 'missing' }, [PENDING]), 'pending'],
    ['a DNS failure keeps it pending', input('pending', { spf: 'error' }, [PENDING]), 'pending'],
    ['SPF drift leaves a verified domain verified', input('verified', { spf: 'missing' }, [ACTIVE]), 'verified'],
    ['DKIM drift leaves a verified domain verified', input('verified', { 'dkim-old': 'mismatch' }, [ACTIVE]), 'verified'],
    ['an unpublished rotation key does not matter', input('verified', { 'dkim-new': 'missing' }, [ACTIVE, PENDING]), 'verified'],
    ['ownership lost fails a verified domain', input('verified', { ownership: 'missing' }, [ACTIVE]), 'failed'],
    ['ownership token changed fails a verified domain', input('verified', { ownership: 'mismatch' }, [ACTIVE]), 'failed'],
    ['a DNS failure on ownership never un-verifies', input('verified', { ownership: 'error' }, [ACTIVE]), 'verified'],
    ['a failed domain that passes again is verified', input('failed', {}, [ACTIVE]), 'verified'],
    ['a failed domain stays failed until it passes', input('failed', { ownership: 'missing' }, [ACTIVE]), 'failed'],
  ];
  for (const [title, given, expected] of cases) {
    it(title, () => assert.equal(planVerification(given).status, expected));
  }

  it('activates the first key when the domain is verified, and only then', () => {
    assert.equal(planVerification(input('pending', {}, [PENDING])).keyActivated, '02');
    assert.equal(planVerification(input('pending', { spf: 'missing' }, [PENDING])).keyActivated, null);
  });

  it('marks a published pending key verified but leaves activation to the customer when a key is active', () => {
    const plan = planVerification(input('verified', {}, [ACTIVE, PENDING]));
    assert.deepEqual(plan.keysVerified, ['02']);
    assert.equal(plan.keyActivated, null);
    assert.deepEqual(planVerification(input('verified', { 'dkim-new': 'missing' }, [ACTIVE, PENDING])).keysVerified, []);
  });
});
