import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderMx } from './mx';

describe('orderMx', () => {
  it('sorts by ascending preference and normalizes host names', () => {
    const result = orderMx([
      { exchange: 'Backup.Example.com.', priority: 20 },
      { exchange: 'primary.example.com', priority: 10 },
    ]);
    assert.deepEqual(result, {
      kind: 'hosts',
      implicit: false,
      hosts: [
        { exchange: 'primary.example.com', priority: 10 },
        { exchange: 'backup.example.com', priority: 20 },
      ],
    });
  });

  it('shuffles hosts of equal preference (RFC 5321 §5.1) using the given random source', () => {
    const records = [
      { exchange: 'a.example.com', priority: 10 },
      { exchange: 'b.example.com', priority: 10 },
      { exchange: 'c.example.com', priority: 5 },
    ];
    const draws = (values: number[]) => () => values.shift() ?? 0;
    const first = orderMx(records, draws([0.9, 0.1, 0.5]));
    const second = orderMx(records, draws([0.1, 0.9, 0.5]));
    assert.ok(first.kind === 'hosts' && second.kind === 'hosts');
    assert.deepEqual(first.hosts.map((h) => h.exchange), ['c.example.com', 'b.example.com', 'a.example.com']);
    assert.deepEqual(second.hosts.map((h) => h.exchange), ['c.example.com', 'a.example.com', 'b.example.com']);
  });

  it('reads a lone MX 0 . as a null MX (RFC 7505)', () => {
    assert.deepEqual(orderMx([{ exchange: '', priority: 0 }]), { kind: 'null-mx' });
    assert.deepEqual(orderMx([{ exchange: '.', priority: 0 }]), { kind: 'null-mx' });
  });

  it('ignores a null MX published next to real ones', () => {
    const result = orderMx([
      { exchange: '', priority: 0 },
      { exchange: 'mx.example.com', priority: 10 },
    ]);
    assert.deepEqual(result, { kind: 'hosts', implicit: false, hosts: [{ exchange: 'mx.example.com', priority: 10 }] });
  });
});
