import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupRecipients } from './destinations';

const outbound = (...addresses: string[]) => addresses.map((address) => ({ address, target: null }));

describe('groupRecipients', () => {
  it('sends to a relayhost in one transaction per recipient domain, each bound to its domain (ADR 0006)', () => {
    const groups = groupRecipients('outbound', outbound('a@gmail.example', 'b@corp.example', 'c@Gmail.example'), { host: '127.0.0.1', port: 2525 });
    assert.deepEqual(
      groups.map((g) => [g.destination.kind, g.recipientDomain, g.addresses]),
      [
        ['relayhost', 'gmail.example', ['a@gmail.example', 'c@Gmail.example']],
        ['relayhost', 'corp.example', ['b@corp.example']],
      ],
    );
  });

  it('groups MX delivery by recipient domain, and inbound routes without a return-path domain', () => {
    assert.deepEqual(groupRecipients('outbound', outbound('a@x.example', 'b@x.example'), null).map((g) => [g.key, g.recipientDomain]), [['mx:x.example', 'x.example']]);
    const inbound = groupRecipients('inbound', [{ address: 'a@ours.example', target: { routeId: 'r1', host: 'Mail.Ours.Example', port: 25, tlsMode: 'opportunistic' } }], null);
    assert.deepEqual(inbound.map((g) => [g.key, g.recipientDomain]), [['route:mail.ours.example:25:opportunistic', null]]);
  });
});
