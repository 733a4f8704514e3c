import type { SmtpSettingsView } from '../../api/types';

export type SmtpPort = SmtpSettingsView['ports'][number];

/** What a snippet fills in: the relay's settings, the login (placeholders when the password is not on screen). */
export interface SnippetInput {
  smtp: SmtpSettingsView;
  username: string;
  password: string;
  sender: string;
}

/** STARTTLS on the submission port first (RFC 6409), else whatever port there is. */
export function submissionPort(smtp: SmtpSettingsView): SmtpPort {
  return smtp.ports.find((p) => p.security === 'starttls') ?? smtp.ports[0] ?? { port: 587, security: 'starttls' };
}

export const SELF_SIGNED_NOTE = 'demo only: the certificate is self-signed';

const TO = 'you@example.com';
const SUBJECT = 'Hello from Smarthost';

/**
 * Ready-to-paste clients. Generated passwords and usernames are letters and digits, so single quotes suffice in
 * every language here. With a self-signed certificate each snippet carries one marked line that skips verification;
 * against a trusted certificate it is left out, so nobody copies it into production.
 */
export function snippets({ smtp, username, password, sender }: SnippetInput) {
  const { port, security } = submissionPort(smtp);
  const implicit = security === 'tls';
  const selfSigned = smtp.certificate === 'self-signed';
  return {
    nodemailer: [
      "import nodemailer from 'nodemailer';",
      '',
      'const transport = nodemailer.createTransport({',
      `  host: '${smtp.host}',`,
      `  port: ${port},`,
      `  secure: ${implicit}, // ${implicit ? 'TLS from the first byte' : 'STARTTLS after connecting'}`,
      ...(implicit ? [] : ['  requireTLS: true,']),
      `  auth: { user: '${username}', pass: '${password}' },`,
      ...(selfSigned ? [`  tls: { rejectUnauthorized: false }, // ${SELF_SIGNED_NOTE}`] : []),
      '});',
      '',
      'const info = await transport.sendMail({',
      `  from: '${sender}',`,
      `  to: '${TO}',`,
      `  subject: '${SUBJECT}',`,
      "  text: 'It works.',",
      '});',
      'console.log(info.response);',
    ].join('\n'),
    postfixMain: [
      `relayhost = [${smtp.host}]:${port}`,
      'smtp_sasl_auth_enable = yes',
      'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd',
      'smtp_sasl_security_options = noanonymous',
      // `secure` checks the certificate and the host name in it; `encrypt` only insists on TLS.
      ...(selfSigned
        ? [`# ${SELF_SIGNED_NOTE}: "encrypt" requires TLS without checking it`, 'smtp_tls_security_level = encrypt']
        : ['smtp_tls_security_level = secure', 'smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt']),
      ...(implicit ? ['smtp_tls_wrappermode = yes'] : []),
    ].join('\n'),
    postfixSasl: `[${smtp.host}]:${port} ${username}:${password}`,
    postfixApply: 'chmod 600 /etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd && postfix reload',
    swaks: [
      ...(selfSigned ? [`# ${SELF_SIGNED_NOTE}; swaks checks certificates only when given --tls-verify`] : []),
      `swaks --server ${smtp.host} --port ${port} ${implicit ? '--tls-on-connect' : '--tls'} \\`,
      `  --auth LOGIN --auth-user '${username}' --auth-password '${password}' \\`,
      `  --from ${sender} --h-From ${sender} --to ${TO}`,
    ].join('\n'),
    python: [
      'import smtplib',
      'import ssl',
      'from email.message import EmailMessage',
      '',
      'context = ssl.create_default_context()',
      ...(selfSigned ? [`# ${SELF_SIGNED_NOTE}`, 'context.check_hostname = False', 'context.verify_mode = ssl.CERT_NONE'] : []),
      '',
      'message = EmailMessage()',
      `message['From'] = '${sender}'`,
      `message['To'] = '${TO}'`,
      `message['Subject'] = '${SUBJECT}'`,
      "message.set_content('It works.')",
      '',
      implicit ? `with smtplib.SMTP_SSL('${smtp.host}', ${port}, context=context) as smtp:` : `with smtplib.SMTP('${smtp.host}', ${port}) as smtp:`,
      ...(implicit ? [] : ['    smtp.starttls(context=context)']),
      `    smtp.login('${username}', '${password}')`,
      '    smtp.send_message(message)',
    ].join('\n'),
    phpmailer: [
      '<?php',
      'use PHPMailer\\PHPMailer\\PHPMailer;',
      '',
      "require 'vendor/autoload.php';",
      '',
      '$mail = new PHPMailer(true);',
      '$mail->isSMTP();',
      `$mail->Host = '${smtp.host}';`,
      `$mail->Port = ${port};`,
      `$mail->SMTPSecure = ${implicit ? 'PHPMailer::ENCRYPTION_SMTPS' : 'PHPMailer::ENCRYPTION_STARTTLS'};`,
      '$mail->SMTPAuth = true;',
      `$mail->Username = '${username}';`,
      `$mail->Password = '${password}';`,
      ...(selfSigned ? [`// ${SELF_SIGNED_NOTE}`, "$mail->SMTPOptions = ['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true]];"] : []),
      `$mail->setFrom('${sender}');`,
      `$mail->addAddress('${TO}');`,
      `$mail->Subject = '${SUBJECT}';`,
      "$mail->Body = 'It works.';",
      '$mail->send();',
    ].join('\n'),
  };
}
