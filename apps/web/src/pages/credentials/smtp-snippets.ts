import type { CredentialWithSecret } from '../../api/types';

type Smtp = CredentialWithSecret['smtp'];

export function submissionPort(smtp: Smtp): { port: number; security: 'starttls' | 'tls' } {
  return smtp.ports.find((p) => p.security === 'starttls') ?? smtp.ports[0] ?? { port: 587, security: 'starttls' };
}

/** Ready-to-paste client settings. Passwords are generated from a URL-safe alphabet, so single quotes suffice. */
export function snippets(smtp: Smtp, password: string, sender: string) {
  const { port, security } = submissionPort(smtp);
  const implicit = security === 'tls';
  return {
    nodemailer: [
      "import nodemailer from 'nodemailer';",
      '',
      'const transport = nodemailer.createTransport({',
      `  host: '${smtp.host}',`,
      `  port: ${port},`,
      `  secure: ${implicit}, // ${implicit ? 'TLS from the first byte' : 'STARTTLS after connecting'}`,
      ...(implicit ? [] : ['  requireTLS: true,']),
      `  auth: { user: '${smtp.username}', pass: '${password}' },`,
      '});',
    ].join('\n'),
    postfixMain: [
      `relayhost = [${smtp.host}]:${port}`,
      'smtp_sasl_auth_enable = yes',
      'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd',
      'smtp_sasl_security_options = noanonymous',
      `smtp_tls_security_level = encrypt${implicit ? '\nsmtp_tls_wrappermode = yes' : ''}`,
    ].join('\n'),
    postfixSasl: `[${smtp.host}]:${port} ${smtp.username}:${password}`,
    postfixApply: 'chmod 600 /etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd && postfix reload',
    swaks: [
      `swaks --server ${smtp.host} --port ${port} ${implicit ? '--tls-on-connect' : '--tls'} \\`,
      `  --auth LOGIN --auth-user '${smtp.username}' --auth-password '${password}' \\`,
      `  --from ${sender} --to you@example.com`,
    ].join('\n'),
  };
}
