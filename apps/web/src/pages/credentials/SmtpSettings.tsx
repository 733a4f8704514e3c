import type { CredentialWithSecret } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { snippets } from './smtp-snippets';

function Snippet({ title, text, file }: { title: string; text: string; file?: string }) {
  return (
    <div className="snippet">
      <div className="snippet-head">
        <h4>{title}</h4>
        {file && <span className="muted small">{file}</span>}
        <CopyButton text={text} what={title} />
      </div>
      <pre>{text}</pre>
    </div>
  );
}

export function SmtpSettings({ credential, sender }: { credential: CredentialWithSecret; sender: string }) {
  const s = snippets(credential.smtp, credential.password, sender);
  return (
    <div className="settings">
      <h3>Connection settings</h3>
      <dl className="pairs">
        <div><dt>Host</dt><dd><code>{credential.smtp.host}</code></dd></div>
        <div><dt>Ports</dt><dd>{credential.smtp.ports.map((p) => `${p.port} (${p.security === 'tls' ? 'TLS' : 'STARTTLS'})`).join(', ')}</dd></div>
        <div><dt>Username</dt><dd><code>{credential.username}</code> <CopyButton text={credential.username} what="username" /></dd></div>
      </dl>
      <details open>
        <summary>Node.js (nodemailer)</summary>
        <Snippet title="nodemailer transport" text={s.nodemailer} />
      </details>
      <details>
        <summary>Postfix relayhost</summary>
        <Snippet title="Postfix main.cf" file="/etc/postfix/main.cf" text={s.postfixMain} />
        <Snippet title="Postfix sasl_passwd" file="/etc/postfix/sasl_passwd" text={s.postfixSasl} />
        <Snippet title="Postfix apply commands" text={s.postfixApply} />
      </details>
      <details>
        <summary>Test from a shell (swaks)</summary>
        <Snippet title="swaks command" text={s.swaks} />
      </details>
    </div>
  );
}
