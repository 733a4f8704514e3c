import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from './address';
import { returnPathCovers, returnPathFor, verifyReturnPath, type ReturnPathKeyring } from './return-path';

const ID = '01KBQ3Z8W6V4J2M9N7P5R3T1XY';
const NOW = Date.parse('2026-12-01T00:00:00Z');
const key = (id: string, fill: number) => ({ id, secret: Buffer.alloc(32, fill) });
const keyring: ReturnPathKeyring = { current: key('2', 2), previous: null };
const address = (raw: string) => {
  const parsed = parseAddress(raw);
  if (!parsed.ok) throw new Error(`bad test address ${raw}`);
  return parsed.address;
};
const verify = (raw: string, ring = keyring, now = NOW) => verifyReturnPath(ring, address(raw), now);

describe('return path (VERP with a keyed MAC)', () => {
  it('round-trips a message id through the address, whatever case MTAs give it back in', () => {
    const path = returnPathFor(keyring, ID, 'Shop.Example', 'dest.example');
    assert.match(path, new RegExp(`^bounce\\+${ID.toLowerCase()}-2[0-9a-z]{22}@bounces\\.shop\\.example$`));
    assert.ok(path.split('@')[0]!.length <= 64, 'a local part fits RFC 5321');
    const expected = { kind: 'valid', returnPath: { messageId: ID, senderDomain: 'shop.example', keyId: '2', destinationTag: path.slice(35, 41) } };
    assert.deepEqual(verify(path), expected);
    assert.deepEqual(verify(path.toUpperCase()), expected);
  });

  it('refuses a guessed id, a changed MAC, another sending domain, the old MAC-less form and an unknown key', () => {
    const path = returnPathFor(keyring, ID, 'shop.example', 'dest.example');
    const local = path.split('@')[0]!;
    const flipped = `${local.slice(0, -1)}${local.endsWith('0') ? '1' : '0'}@bounces.shop.example`;
    const otherKey: ReturnPathKeyring = { current: key('2', 9), previous: null };
    for (const forged of [
      flipped,
      path.replace(ID.toLowerCase(), '01kbq3z8w6v4j2m9n7p5r3t1xz'),
      path.replace('@bounces.shop.example', '@bounces.other.example'),
      `bounce+${ID.toLowerCase()}@bounces.shop.example`,
      `bounce+${ID.toLowerCase()}-${local.slice(34)}x@bounces.shop.example`,
    ]) {
      assert.deepEqual(verify(forged), { kind: 'forged' }, forged);
    }
    assert.deepEqual(verify(path, otherKey), { kind: 'forged' }, 'signed with a key the relay does not hold');
  });

  it('accepts the previous key until the end of its overlap, and never afterwards', () => {
    const old = returnPathFor({ current: key('1', 1), previous: null }, ID, 'shop.example', 'dest.example');
    const rotated: ReturnPathKeyring = { current: key('2', 2), previous: { ...key('1', 1), until: NOW + 1000 } };
    assert.equal(verify(old, rotated, NOW).kind, 'valid');
    assert.equal(verify(old, rotated, NOW + 1000).kind, 'forged');
    assert.equal(verify(old, keyring).kind, 'forged');
  });

  it('covers only the destination domain it was sent to', () => {
    const path = returnPathFor(keyring, ID, 'shop.example', 'Bücher.Example');
    const result = verify(path);
    assert.equal(result.kind, 'valid');
    if (result.kind !== 'valid') return;
    assert.ok(returnPathCovers(keyring, result.returnPath, 'xn--bcher-kva.example', NOW));
    assert.ok(returnPathCovers(keyring, result.returnPath, 'bücher.example', NOW));
    assert.ok(!returnPathCovers(keyring, result.returnPath, 'gmail.example', NOW));
  });

  it('is "other" for every address that is not of the return-path form', () => {
    for (const raw of [`bounce+${ID}@shop.example`, `bounce+${ID}@mail.shop.example`, `bounce-${ID}@bounces.shop.example`, 'postmaster@bounces.shop.example']) {
      assert.deepEqual(verify(raw), { kind: 'other' }, raw);
    }
  });
});
