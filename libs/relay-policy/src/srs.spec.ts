import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { srsForward, srsReverse, type SrsKey } from './srs';

describe('SRS0', () => {
  const key: SrsKey = { secret: 'test-srs-secret-0123456789', domain: 'relay.example', maxAgeDays: 21 };
  const day = 86_400_000;
  const now = Date.UTC(2026, 11, 3);

  it('rewrites local@domain to SRS0=hash=TT=domain=local at our domain, and reverses it', () => {
    const srs = srsForward(key, 'Alice.Smith@Sender.Example', now);
    assert.match(srs, /^SRS0=[a-z2-7]{8}=[a-z2-7]{2}=sender\.example=Alice\.Smith@relay\.example$/);
    assert.deepEqual(srsReverse(key, srs, now), { ok: true, original: 'Alice.Smith@sender.example' });
  });

  it('survives a change of case on the way back and keeps "=" in the original local part', () => {
    const srs = srsForward(key, 'a=b@sender.example', now);
    assert.deepEqual(srsReverse(key, srs.toUpperCase(), now), { ok: true, original: 'A=B@sender.example' });
  });

  it('keeps the null sender null', () => assert.equal(srsForward(key, '', now), ''));

  it('refuses a tampered hash, domain or local part', () => {
    const srs = srsForward(key, 'alice@sender.example', now);
    const [local] = srs.split('@') as [string];
    const parts = local.split('=');
    const tamper = (index: number, value: string) => `${parts.map((p, i) => (i === index ? value : p)).join('=')}@relay.example`;
    assert.deepEqual(srsReverse(key, tamper(1, 'aaaaaaaa'), now), { ok: false, reason: 'bad_hash' });
    assert.deepEqual(srsReverse(key, tamper(3, 'victim.example'), now), { ok: false, reason: 'bad_hash' });
    assert.deepEqual(srsReverse(key, tamper(4, 'bob'), now), { ok: false, reason: 'bad_hash' });
    assert.deepEqual(srsReverse({ ...key, secret: 'another-secret-0123456789' }, srs, now), { ok: false, reason: 'bad_hash' });
    assert.deepEqual(srsReverse(key, 'SRS0=short@relay.example', now), { ok: false, reason: 'bad_hash' });
  });

  it('expires after the maximum age, and a timestamp from the "future" counts as old', () => {
    const srs = srsForward(key, 'alice@sender.example', now);
    assert.equal(srsReverse(key, srs, now + 21 * day).ok, true);
    assert.deepEqual(srsReverse(key, srs, now + 22 * day), { ok: false, reason: 'expired' });
    assert.deepEqual(srsReverse(key, srs, now - day), { ok: false, reason: 'expired' });
  });

  it('tells an address that is not ours at all', () => {
    assert.deepEqual(srsReverse(key, 'alice@relay.example', now), { ok: false, reason: 'not_srs' });
    assert.deepEqual(srsReverse(key, srsForward(key, 'a@b.example', now).replace('relay.example', 'other.example'), now), {
      ok: false,
      reason: 'not_srs',
    });
  });
});
