import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { send, unwrap } from '../../api/client';
import type { DomainView } from '../../api/types';
import { Badge } from '../../components/Badge';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CopyButton } from '../../components/CopyButton';
import { FormError } from '../../components/FormError';
import { formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { ErrorState, LiveStatus, Loading } from '../../components/States';
import { useCanWrite, useTenantMutation, useTenantQuery } from '../../session/tenant-query';
import { DkimSection } from './DkimSection';
import { DnsRecordsTable } from './DnsRecordsTable';

interface VerifyResult {
  message: string;
  ok: boolean;
}

export function verifyResult(domain: DomainView): VerifyResult {
  const missing = domain.records.filter((record) => record.required && record.status !== 'ok').length;
  if (domain.status === 'verified' && missing === 0) return { message: 'Verified: every required record was found.', ok: true };
  return { message: `${missing} required record${missing === 1 ? '' : 's'} not found yet. DNS changes can take a few minutes to appear.`, ok: false };
}

export function DomainPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const canWrite = useCanWrite('config');
  const [result, setResult] = useState<VerifyResult | null>(null);
  const domain = useTenantQuery(['domains', id], (api) => unwrap(api.GET('/v1/domains/{id}', { params: { path: { id } } })));
  const verify = useTenantMutation((api) => unwrap(api.POST('/v1/domains/{id}/verify', { params: { path: { id } } })), [['domains']]);
  const inbound = useTenantMutation(
    (api, body: Pick<Partial<DomainView>, 'inboundEnabled' | 'inboundDmarc'>) => unwrap(api.PATCH('/v1/domains/{id}', { params: { path: { id } }, body })),
    [['domains']],
  );
  const remove = useTenantMutation((api) => send(api.DELETE('/v1/domains/{id}', { params: { path: { id } } })), [['domains']]);

  if (domain.isPending) return <Loading what="domain" />;
  if (domain.isError) return <ErrorState error={domain.error} retry={() => domain.refetch()} />;
  const view = domain.data;

  return (
    <Page
      title={view.unicodeName}
      intro={<><Link to="/domains">Domains</Link> · <Badge status={view.status} /> · last checked {formatTime(view.lastCheckedAt)}</>}
      actions={
        canWrite && (
          <button type="button" onClick={() => verify.mutate(undefined, { onSuccess: (fresh) => setResult(verifyResult(fresh)) })} disabled={verify.isPending}>
            {verify.isPending ? 'Checking DNS…' : 'Verify now'}
          </button>
        )
      }
    >
      <LiveStatus message={result?.message ?? null} tone={result?.ok === false ? 'warn' : 'ok'} />
      <FormError error={verify.error} />
      {view.drift && <p className="alert alert-error">Some records that were correct are now missing or wrong. Mail may be refused or land in spam until they are fixed.</p>}
      <Section title="DNS records to publish">
        <p className="muted">Add these records at your DNS provider, then press “Verify now”. We also re-check every few hours.</p>
        <DnsRecordsTable records={view.records} />
        <details>
          <summary>All records as zone-file lines</summary>
          <pre className="zone">{view.zone.join('\n')}</pre>
          <CopyButton text={view.zone.join('\n')} what="zone-file lines" label="Copy all" />
        </details>
      </Section>
      <DkimSection domain={view} canWrite={canWrite} />
      {canWrite && (
        <Section title="Inbound mail">
          <p className="muted">
            With inbound on, we accept mail for this domain on port 25 and pass it to your server by the <Link to="/inbound-routes">inbound routes</Link>. Publish the MX record once it is on.
          </p>
          <button type="button" className="button-secondary" disabled={inbound.isPending} onClick={() => inbound.mutate({ inboundEnabled: !view.inboundEnabled })}>
            {view.inboundEnabled ? 'Turn inbound off' : 'Turn inbound on'}
          </button>
          <p className="muted">
            {view.inboundDmarc === 'enforce'
              ? 'Mail that fails its sender’s DMARC policy “reject” (a spoof of a protected domain) is refused.'
              : 'Mail that fails its sender’s DMARC policy “reject” is delivered, marked dmarc=fail in its Authentication-Results header, for your own filter.'}
          </p>
          <button
            type="button"
            className="button-secondary"
            disabled={inbound.isPending}
            onClick={() => inbound.mutate({ inboundDmarc: view.inboundDmarc === 'enforce' ? 'mark' : 'enforce' })}
          >
            {view.inboundDmarc === 'enforce' ? 'Deliver it marked instead' : 'Refuse it instead'}
          </button>
          <FormError error={inbound.error} />
        </Section>
      )}
      {canWrite && (
        <Section title="Remove this domain">
          <p className="muted">Mail from this domain will be refused at once. Credentials limited to it stop working.</p>
          <ConfirmButton label="Remove domain" question={`Remove ${view.unicodeName}?`} onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate('/domains') })} />
          <FormError error={remove.error} />
        </Section>
      )}
    </Page>
  );
}
