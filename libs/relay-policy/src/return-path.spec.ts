import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from './address';
import { parseReturnPath, returnPathFor } from './return-path';

const ID = '01KBQ3Z8W6V4J2M9N7P5R3T1XY';
const address = (raw: string) => {
  const parsed = parseAddress(raw);
  if (!parsed.ok) throw new Error(`bad test address ${raw}`);
  return parsed.address;
};

describe('return path (VERP)', () => {
  it('round-trips a message id through the address, whatever case MTAs give it back in', () => {
    const path = returnPathFor(ID, 'shop.example');
    assert.equal(path, `bounce+${ID.toLowerCase()}@bounces.shop.example`);
    assert.deepEqual(parseReturnPath(address(path)), { messageId: ID, senderDomain: 'shop.example' });
    assert.deepEqual(parseReturnPath(address(path.toUpperCase())), { messageId: ID, senderDomain: 'shop.example' });
  });

  it('is null for every address the relay did not make', () => {
    for (const raw of [
      `bounce+${ID}@shop.example`,
      `bounce+${ID}@mail.shop.example`,
      `bounce-${ID}@bounces.shop.example`,
      `bounce+${ID.slice(1)}@bounces.shop.example`,
      `bounce+${ID}x@bounces.shop.example`,
      'bounce+01KBQ3Z8W6V4J2M9N7P5R3T1XU@bounces.shop.example', // U is not Crockford base32
      'postmaster@bounces.shop.example',
    ]) {
      assert.equal(parseReturnPath(address(raw)), null, raw);
    }
  });
});
