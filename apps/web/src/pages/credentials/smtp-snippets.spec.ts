import { describe, expect, it } from 'vitest';
import type { SmtpSettingsView } from '../../api/types';
import { SELF_SIGNED_NOTE, snippets } from './smtp-snippets';

const login = { username: 'smtp_abc234', password: 'Zq8vR2kP0wXy7Lm3Nb5Tc9Hd', sender: 'app@shop.example' };
const demo: SmtpSettingsView = { host: 'localhost', ports: [{ port: 2587, security: 'starttls' }, { port: 2465, security: 'tls' }], certificate: 'self-signed', authMechanisms: ['PLAIN', 'LOGIN'] };
const tlsOnly: SmtpSettingsView = { host: 'relay.example', ports: [{ port: 465, security: 'tls' }], certificate: 'trusted', authMechanisms: ['PLAIN', 'LOGIN'] };

describe('SMTP client snippets', () => {
  it('use the STARTTLS port the API names, and skip certificate checks only on a marked line when it is self-signed', () => {
    const s = snippets({ smtp: demo, ...login });
    expect(s.nodemailer).toContain("host: 'localhost',\n  port: 2587,\n  secure: false");
    expect(s.nodemailer).toContain('requireTLS: true');
    expect(s.nodemailer).toContain(`tls: { rejectUnauthorized: false }, // ${SELF_SIGNED_NOTE}`);
    expect(s.nodemailer).toContain("from: 'app@shop.example'");
    expect(s.python).toContain("smtplib.SMTP('localhost', 2587)");
    expect(s.python).toContain('smtp.starttls(context=context)');
    expect(s.python).toContain(`# ${SELF_SIGNED_NOTE}\ncontext.check_hostname = False\ncontext.verify_mode = ssl.CERT_NONE`);
    expect(s.phpmailer).toContain('$mail->Port = 2587;');
    expect(s.phpmailer).toContain('PHPMailer::ENCRYPTION_STARTTLS');
    expect(s.phpmailer).toContain(`// ${SELF_SIGNED_NOTE}\n$mail->SMTPOptions`);
    expect(s.postfixMain).toContain('relayhost = [localhost]:2587');
    expect(s.postfixMain).toContain('smtp_tls_security_level = encrypt');
    expect(s.postfixSasl).toBe(`[localhost]:2587 ${login.username}:${login.password}`);
    expect(s.swaks).toContain('swaks --server localhost --port 2587 --tls \\');
  });

  it('speak implicit TLS when that is the only port, and verify a trusted certificate', () => {
    const s = snippets({ smtp: tlsOnly, ...login });
    expect(s.nodemailer).toContain('port: 465,\n  secure: true');
    expect(s.nodemailer).not.toContain('requireTLS');
    expect(s.python).toContain("smtplib.SMTP_SSL('relay.example', 465, context=context)");
    expect(s.python).not.toContain('starttls');
    expect(s.phpmailer).toContain('PHPMailer::ENCRYPTION_SMTPS');
    expect(s.postfixMain).toContain('smtp_tls_wrappermode = yes');
    expect(s.postfixMain).toContain('smtp_tls_security_level = secure');
    expect(s.swaks).toContain('--tls-on-connect');
    for (const text of Object.values(s)) expect(text).not.toMatch(/self-signed|rejectUnauthorized|CERT_NONE|verify_peer/);
  });
});
