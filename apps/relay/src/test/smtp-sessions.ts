import assert from 'node:assert/strict';
import { rawSmtp, type RawSmtpClient, type RawSmtpOptions } from '@smarthost/testkit';
import { PASSWORDS } from './fixtures';

/** AUTH PLAIN's initial response (RFC 4616). */
export const authPlain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

/** The raw SMTP sessions one test file opens, each past its 220 greeting; closeAll() belongs in after(). */
export class SmtpSessions {
  private readonly open: RawSmtpClient[] = [];

  async connect(port: number, options: RawSmtpOptions = {}): Promise<RawSmtpClient> {
    const client = await rawSmtp('127.0.0.1', port, options);
    this.open.push(client);
    assert.equal((await client.read()).code, 220);
    return client;
  }

  /** acme-app authenticated over implicit TLS (465). */
  async authenticated(port: number): Promise<RawSmtpClient> {
    const client = await this.connect(port, { tls: true });
    assert.equal((await client.command('EHLO client.test')).code, 250);
    assert.equal((await client.command(`AUTH PLAIN ${authPlain('acme-app', PASSWORDS.acme)}`)).code, 235);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.map((client) => client.close()));
  }
}
