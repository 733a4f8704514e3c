import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawSmtp, swaks } from '@smarthost/testkit';
import { PASSWORDS } from '../test/fixtures';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

describe('failed AUTH limits: block the attacking IP, never lock out the real user', () => {
  let bed: RelayTestBed;

  before(async () => {
    bed = await startTestBed({
      env: { AUTH_MAX_FAILURES_PER_CONNECTION: '3', AUTH_MAX_FAILURES_PER_IP: '5', AUTH_USERNAME_DELAY_MS: '20' },
    });
  });
  after(() => bed.close());

  async function attempt(password: string): Promise<number[]> {
    const client = await rawSmtp('127.0.0.1', bed.relay.ports.submissions, { tls: true });
    try {
      await client.read();
      await client.command('EHLO attacker.test');
      const codes: number[] = [];
      for (let i = 0; i < 3 && !client.closed; i += 1) {
        const reply = await client.command(`AUTH PLAIN ${plain('acme-app', password)}`).catch(() => undefined);
        if (reply === undefined) break;
        codes.push(reply.code);
        if (reply.code !== 535) break;
      }
      return codes;
    } finally {
      await client.close();
    }
  }

  it('guessing from one IP: cut per connection, then the IP is blocked even with the right password', async () => {
    assert.deepEqual(await attempt('guess-a'), [535, 535, 421]);
    assert.deepEqual(await attempt('guess-b'), [535, 421], 'the fifth failure from this IP');
    assert.deepEqual(await attempt(PASSWORDS.acme), [421], 'blocked before the password is looked at');
  });

  it('the real user on another address still gets in with the right password', async () => {
    const result = await swaks([
      '--server', '127.0.0.1', '--port', String(bed.relay.ports.submissions), '--tlsc',
      '--local-interface', '127.0.0.2',
      '--auth', 'PLAIN', '--auth-user', 'acme-app', '--auth-password', PASSWORDS.acme,
      '--from', 'a@acme.test', '--to', 'x@example.org', '--header', 'From: a@acme.test',
    ]);
    assert.equal(result.exitCode, 0, result.transcript);
  });
});
