import { Link } from 'react-router-dom';
import { unwrap } from '../../api/client';
import { Badge } from '../../components/Badge';
import { DnsName } from '../../components/DnsName';
import { formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useCanWrite, useTenantQuery } from '../../session/tenant-query';
import { AddDomainForm } from './AddDomainForm';

export function DomainsPage() {
  const canWrite = useCanWrite('config');
  const domains = useTenantQuery(['domains'], (api) => unwrap(api.GET('/v1/domains', { params: { query: { limit: 200 } } })));
  return (
    <Page title="Domains" intro="Mail is relayed only from domains you have proved you own. Add a domain, publish the records we show, then verify.">
      {canWrite && (
        <Section title="Add a domain">
          <AddDomainForm />
        </Section>
      )}
      <Section title="Your domains">
        {domains.isPending && <Loading what="domains" />}
        {domains.isError && <ErrorState error={domains.error} retry={() => domains.refetch()} />}
        {domains.data?.items.length === 0 && <EmptyState title="No domains yet.">Add the domain your application sends from to get the DNS records to publish.</EmptyState>}
        {domains.data && domains.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="domains">
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">Status</th>
                  <th scope="col">Inbound</th>
                  <th scope="col">Last checked</th>
                </tr>
              </thead>
              <tbody>
                {domains.data.items.map((domain) => (
                  <tr key={domain.id}>
                    <th scope="row">
                      {/* The label spans must not read as separate words. */}
                      <Link to={`/domains/${domain.id}`} aria-label={domain.unicodeName}>
                        <DnsName name={domain.unicodeName} />
                      </Link>
                    </th>
                    <td data-label="Status"><Badge status={domain.status} /></td>
                    <td data-label="Inbound">{domain.inboundEnabled ? 'On' : 'Off'}</td>
                    <td data-label="Last checked">{formatTime(domain.lastCheckedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </Page>
  );
}
