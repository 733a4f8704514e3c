import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideDmarc, type DmarcFinding, type InboundDmarcMode } from './decide-dmarc';

describe('decideDmarc', () => {
  const table: [DmarcFinding | null, InboundDmarcMode, string | null][] = [
    [{ result: 'fail', policy: 'reject' }, 'enforce', 'dmarc_reject'],
    [{ result: 'fail', policy: 'reject', pct: 100 }, 'enforce', 'dmarc_reject'],
    [{ result: 'fail', policy: 'reject' }, 'mark', null],
    [{ result: 'fail', policy: 'reject', pct: 50 }, 'enforce', null],
    [{ result: 'fail', policy: 'quarantine' }, 'enforce', null],
    [{ result: 'fail', policy: 'none' }, 'enforce', null],
    [{ result: 'pass', policy: 'reject' }, 'enforce', null],
    [{ result: 'temperror' }, 'enforce', null],
    [{ result: 'none' }, 'enforce', null],
    [null, 'enforce', null],
  ];
  for (const [finding, mode, expected] of table) {
    it(`${JSON.stringify(finding)} under ${mode} → ${expected ?? 'accept'}`, () => {
      assert.equal(decideDmarc(finding, mode)?.refusal ?? null, expected);
    });
  }
});
