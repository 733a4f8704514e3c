import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawSmtp, waitFor, type SmtpReply } from '@smarthost/testkit';
import { PASSWORDS } from '../test/fixtures';
import { startTestBed, type RelayTestBed } from '../test/test-relay';

const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

// Two client addresses on loopback: the attacker's (or the misconfigured app's) and another network's.
const X = '127.0.0.1';
const Y = '127.0.0.2';

/** One connection from `from` over implicit TLS: AUTH PLAIN with each password until the server stops answering 535. */
async function logins(bed: RelayTestBed, from: string, user: string, passwords: readonly string[]): Promise<SmtpReply[]> {
  const client = await rawSmtp('127.0.0.1', bed.relay.ports.submissions, { tls: true, localAddress: from, timeoutMs: 20_000 });
  try {
    await client.read();
    await client.command('EHLO client.test');
    const replies: SmtpReply[] = [];
    for (const password of passwords) {
      const reply = await client.command(`AUTH PLAIN ${plain(user, password)}`);
      replies.push(reply);
      if (reply.code !== 535) break;
    }
    return replies;
  } finally {
    await client.close();
  }
}

const codes = (replies: readonly SmtpReply[]) => replies.map((reply) => reply.code);
const login = async (bed: RelayTestBed, from: string, user: string, password: string) => (await logins(bed, from, user, [password]))[0] as SmtpReply;

describe('failed AUTH limits stop attackers, not users', () => {
  let bed: RelayTestBed;

  before(async () => {
    bed = await startTestBed({
      env: {
        AUTH_MAX_FAILURES_PER_CONNECTION: '3',
        AUTH_TARPIT_STEP_MS: '1',
        AUTH_TARPIT_MAX_MS: '5',
        AUTH_FLOOD_WINDOW_SECONDS: '60',
        AUTH_FLOOD_MAX_FAILURES_PER_USERNAME: '30',
        AUTH_FLOOD_MAX_USERNAMES: '10',
        // Compressed from the default 300 so the test sees the recovery.
        AUTH_FLOOD_BLOCK_SECONDS: '3',
      },
    });
  });
  after(() => bed.close());

  it('a connection is cut after three failures', async () => {
    const replies = await logins(bed, Y, 'globex-app', ['guess-1', 'guess-2', 'guess-3']);
    assert.deepEqual(codes(replies), [535, 535, 421]);
    assert.match(replies[2]?.raw ?? '', /^421 4\.7\.0 Too many failed authentication attempts on this connection/);
  });

  it('30 failures for acme-app from X lock out neither globex-app from X nor acme-app from Y', async () => {
    for (let i = 0; i < 10; i += 1) {
      assert.deepEqual(codes(await logins(bed, X, 'acme-app', [`guess-${i}-a`, `guess-${i}-b`, `guess-${i}-c`])), [535, 535, 421]);
    }
    assert.equal((await login(bed, X, 'globex-app', PASSWORDS.globex)).code, 235, 'another username from the same address');
    assert.equal((await login(bed, Y, 'acme-app', PASSWORDS.acme)).code, 235, 'the same username from another address');
  });

  it('a flood for one username refuses that username from that address only, saying why', async () => {
    const refused = await login(bed, X, 'acme-app', 'guess-31');
    assert.match(refused.raw, /^421 4\.7\.0 Too many failed logins for this user name from your address, try again later: in 3 seconds/);
    assert.match((await login(bed, X, 'acme-app', PASSWORDS.acme)).raw, /^421 4\.7\.0 Too many failed logins for this user name/);
    assert.equal((await login(bed, X, 'globex-app', PASSWORDS.globex)).code, 235);
    assert.equal((await login(bed, Y, 'acme-app', PASSWORDS.acme)).code, 235);
    await waitFor(async () => (await login(bed, X, 'acme-app', PASSWORDS.acme)).code === 235, {
      timeoutMs: 15_000,
      description: 'acme-app to log in from X again once the 3-second block is over',
    });
  });

  it('credential stuffing (many usernames) from X is refused for every username there, then recovers', async () => {
    // acme-app already failed from X above: nine more usernames make ten, the limit; the eleventh crosses it.
    for (let i = 1; i <= 9; i += 1) assert.deepEqual(codes(await logins(bed, X, `stuffed-${i}`, ['guess'])), [535]);
    const refused = await login(bed, X, 'stuffed-10', 'guess');
    assert.match(refused.raw, /^421 4\.7\.0 Too many failed logins under different user names from your address, try again later: in 3 seconds/);
    const correct = await login(bed, X, 'globex-app', PASSWORDS.globex);
    assert.match(correct.raw, /^421 4\.7\.0 Too many failed logins under different user names/, 'refused before the password is looked at');
    assert.equal((await login(bed, Y, 'globex-app', PASSWORDS.globex)).code, 235, 'another address is not affected');
    await waitFor(async () => (await login(bed, X, 'globex-app', PASSWORDS.globex)).code === 235, {
      timeoutMs: 15_000,
      description: 'X to log in again once the 3-second block is over',
    });
  });
});

describe('failed AUTH tarpit', () => {
  let bed: RelayTestBed;

  before(async () => {
    bed = await startTestBed({ env: { AUTH_MAX_FAILURES_PER_CONNECTION: '3', AUTH_TARPIT_STEP_MS: '400', AUTH_TARPIT_MAX_MS: '800' } });
  });
  after(() => bed.close());

  async function timed(password: string, client: Awaited<ReturnType<typeof rawSmtp>>): Promise<[number, number]> {
    const started = performance.now();
    const reply = await client.command(`AUTH PLAIN ${plain('acme-app', password)}`);
    return [reply.code, performance.now() - started];
  }

  it('each failure from an address holds the next failure reply longer; the right password still gets in', async () => {
    const client = await rawSmtp('127.0.0.1', bed.relay.ports.submissions, { tls: true, localAddress: X, timeoutMs: 20_000 });
    try {
      await client.read();
      await client.command('EHLO client.test');
      const [firstCode] = await timed('guess-1', client);
      const [secondCode, second] = await timed('guess-2', client);
      const [thirdCode, third] = await timed('guess-3', client);
      assert.deepEqual([firstCode, secondCode, thirdCode], [535, 535, 421]);
      // Lower bounds only: a loaded machine makes replies slower, never faster.
      assert.ok(second >= 400, `second failure answered after ${Math.round(second)} ms, not held 400 ms`);
      assert.ok(third >= 800, `third failure answered after ${Math.round(third)} ms, not held 800 ms`);
    } finally {
      await client.close();
    }
    assert.equal((await login(bed, X, 'acme-app', PASSWORDS.acme)).code, 235, 'slowed, never locked');
  });
});
