import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { removeForgedResults } from './forged-results';

const message = (...headers: string[]) => Buffer.from([...headers, 'From: a@sender.example', '', 'Authentication-Results: relay.example; body stays', ''].join('\r\n'), 'latin1');

describe('removeForgedResults', () => {
  it('removes results claiming our authserv-id, in any case, folded or after a comment, and keeps the rest byte for byte', () => {
    const raw = message(
      'Authentication-Results: relay.example; dkim=pass',
      'Authentication-Results: (forged) RELAY.Example. 1;',
      '  spf=pass smtp.mailfrom=ceo@victim.example',
      'Authentication-Results: mx.other.example; spf=fail',
      'ARC-Authentication-Results: i=1; relay.example; dkim=pass',
    );
    const result = removeForgedResults(raw, 'relay.example');
    assert.equal(result.removed, 2);
    assert.equal(
      result.raw.toString('latin1'),
      message('Authentication-Results: mx.other.example; spf=fail', 'ARC-Authentication-Results: i=1; relay.example; dkim=pass').toString('latin1'),
    );
  });

  it('leaves a message without forged results as the same buffer', () => {
    const raw = message('Authentication-Results: relay.example.evil; dkim=pass', 'Authentication-Results: evil-relay.example; dkim=pass');
    const result = removeForgedResults(raw, 'relay.example');
    assert.equal(result.removed, 0);
    assert.equal(result.raw, raw);
  });
});
