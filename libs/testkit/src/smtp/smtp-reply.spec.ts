import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeReply } from './smtp-reply';

describe('takeReply', () => {
  it('waits for the end of a multi-line reply', () => {
    assert.equal(takeReply('250-mx.test\r\n250-PIPELINING\r\n'), undefined);
    const taken = takeReply('250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n220 next');
    assert.deepEqual(taken?.reply, {
      code: 250,
      lines: ['mx.test', 'PIPELINING', 'STARTTLS'],
      raw: '250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n',
    });
    assert.equal(taken?.rest, '220 next');
  });

  it('accepts a bare code line and a bare LF', () => {
    assert.deepEqual(takeReply('354\n')?.reply, { code: 354, lines: [''], raw: '354\n' });
  });

  it('returns a line that is not a reply as code 0', () => {
    assert.deepEqual(takeReply('garbage\r\n')?.reply, { code: 0, lines: ['garbage'], raw: 'garbage\r\n' });
  });
});
