import type { SmtpSettingsView } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { SELF_SIGNED_NOTE, snippets, type SnippetInput } from './smtp-snippets';

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

const portWords = (smtp: SmtpSettingsView) => smtp.ports.map((p) => `${p.port} (${p.security === 'tls' ? 'TLS from the first byte' : 'STARTTLS'})`).join(', ');

/** Host, ports and TLS as the API is configured to advertise them; the same everywhere on the page. */
export function ConnectionFacts({ smtp, username }: { smtp: SmtpSettingsView; username?: string }) {
  return (
    <>
      <dl className="pairs">
        <div><dt>Host</dt><dd><code>{smtp.host}</code> <CopyButton text={smtp.host} what="host" /></dd></div>
        <div><dt>Ports</dt><dd>{portWords(smtp)}</dd></div>
        <div><dt>Login</dt><dd>{smtp.authMechanisms.join(' or ')}, after TLS</dd></div>
        {username && <div><dt>Username</dt><dd><code>{username}</code> <CopyButton text={username} what="username" /></dd></div>}
      </dl>
      {smtp.certificate === 'self-signed' && (
        <p className="alert alert-warn">
          This relay uses a self-signed certificate, so clients that check certificates refuse it. Each snippet has one line marked “{SELF_SIGNED_NOTE}” that
          turns the check off; never use it against a production relay.
        </p>
      )}
    </>
  );
}

/** Ready-to-paste settings for the common clients, filled with `input` (real or placeholder login). */
export function SmtpSnippets({ input, open = true }: { input: SnippetInput; open?: boolean }) {
  const s = snippets(input);
  return (
    <div className="snippets">
      <details open={open}>
        <summary>Node.js (nodemailer)</summary>
        <Snippet title="nodemailer script" file="send.mjs" text={s.nodemailer} />
      </details>
      <details>
        <summary>Python (smtplib)</summary>
        <Snippet title="Python smtplib script" file="send.py" text={s.python} />
      </details>
      <details>
        <summary>PHP (PHPMailer)</summary>
        <Snippet title="PHPMailer script" file="send.php" text={s.phpmailer} />
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
