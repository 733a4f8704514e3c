import { useState } from 'react';
import { Link } from 'react-router-dom';
import { unwrap } from '../../api/client';
import type { CredentialWithSecret } from '../../api/types';
import { Page, Section } from '../../components/Page';
import { SecretOnce } from '../../components/SecretOnce';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useCanWrite, useTenantMutation, useTenantQuery } from '../../session/tenant-query';
import { CredentialForm, type CredentialInput } from './CredentialForm';
import { CredentialRow } from './CredentialRow';
import { ConnectionFacts, SmtpSnippets } from './SmtpSettings';

/** Stand-ins in the snippets shown without a password on screen (passwords are shown once, at creation). */
const PLACEHOLDER = { username: 'YOUR_SMTP_USERNAME', password: 'YOUR_SMTP_PASSWORD' };

export function CredentialsPage() {
  const canWrite = useCanWrite('config');
  const [secret, setSecret] = useState<CredentialWithSecret | null>(null);
  const [formKey, setFormKey] = useState(0);
  const smtp = useTenantQuery(['smtp-settings'], (api) => unwrap(api.GET('/v1/smtp-settings')));
  const credentials = useTenantQuery(['credentials'], (api) => unwrap(api.GET('/v1/credentials', { params: { query: { limit: 200 } } })));
  const domains = useTenantQuery(['domains'], (api) => unwrap(api.GET('/v1/domains', { params: { query: { limit: 200 } } })));
  const create = useTenantMutation((api, body: CredentialInput) => unwrap(api.POST('/v1/credentials', { body })), [['credentials']]);
  const domainList = domains.data?.items ?? [];
  const sender = `app@${domainList.find((d) => d.status === 'verified')?.name ?? domainList[0]?.name ?? 'your-domain.example'}`;

  return (
    <Page title="SMTP credentials" intro="Applications and mail servers log in to the relay with these. Give each app its own, so you can revoke one without touching the others.">
      {secret && (
        <SecretOnce title={`Password for ${secret.name}`} label="SMTP password" secret={secret.password} onDone={() => setSecret(null)}>
          <div className="settings">
            <h3>Connection settings</h3>
            <ConnectionFacts smtp={secret.smtp} username={secret.username} />
            <SmtpSnippets input={{ smtp: secret.smtp, username: secret.username, password: secret.password, sender }} />
          </div>
        </SecretOnce>
      )}
      {canWrite && !secret && (
        <Section title="Create a credential">
          {domainList.length === 0 && domains.isSuccess && (
            <p className="alert alert-info">Mail is only relayed from verified domains. <Link to="/domains">Add and verify a domain</Link> so this credential can send.</p>
          )}
          <CredentialForm
            key={formKey}
            domains={domainList}
            submitLabel="Create credential"
            pending={create.isPending}
            error={create.error}
            onSubmit={(input) =>
              create.mutate(input, {
                onSuccess: (created) => {
                  setSecret(created);
                  setFormKey((k) => k + 1);
                  create.reset();
                },
              })
            }
          />
        </Section>
      )}
      {!secret && (
        <Section title="Connection settings">
          {smtp.isPending && <Loading what="connection settings" />}
          {smtp.isError && <ErrorState error={smtp.error} retry={() => smtp.refetch()} />}
          {smtp.data && (
            <>
              <ConnectionFacts smtp={smtp.data} />
              <p className="muted small">The snippets below say {PLACEHOLDER.username} and {PLACEHOLDER.password}: put in a credential’s username and the password shown when it was created or rotated.</p>
              <SmtpSnippets input={{ smtp: smtp.data, ...PLACEHOLDER, sender }} open={false} />
            </>
          )}
        </Section>
      )}
      <Section title="Credentials">
        {credentials.isPending && <Loading what="credentials" />}
        {credentials.isError && <ErrorState error={credentials.error} retry={() => credentials.refetch()} />}
        {credentials.data?.items.length === 0 && <EmptyState title="No credentials yet.">Create one above; its password is shown once, with settings for your app.</EmptyState>}
        {credentials.data && credentials.data.items.length > 0 && (
          <ul className="items">
            {credentials.data.items.map((credential) => (
              <CredentialRow key={credential.id} credential={credential} domains={domainList} canWrite={canWrite} onSecret={setSecret} />
            ))}
          </ul>
        )}
      </Section>
    </Page>
  );
}
