import { Link } from 'react-router-dom';
import { unwrap } from '../../api/client';
import type { DomainSummary } from '../../api/types';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useCanWrite, useTenantMutation, useTenantQuery } from '../../session/tenant-query';
import { RouteForm, type RouteInput } from './RouteForm';
import { RouteRow } from './RouteRow';

export function InboundRoutesPage() {
  const canWrite = useCanWrite('config');
  const routes = useTenantQuery(['inbound-routes'], (api) => unwrap(api.GET('/v1/inbound-routes', { params: { query: { limit: 200 } } })));
  const domains = useTenantQuery(['domains'], (api) => unwrap(api.GET('/v1/domains', { params: { query: { limit: 200 } } })));
  const inboundDomains = (domains.data?.items ?? []).filter((d) => d.inboundEnabled);
  const domainName = (id: string) => domains.data?.items.find((d) => d.id === id)?.unicodeName ?? 'a removed domain';

  return (
    <Page title="Inbound routes" intro="Mail arriving for your domains on port 25 is accepted only when a route matches, then passed to your server.">
      {canWrite && (
        <Section title="Add a route">
          {domains.isSuccess && inboundDomains.length === 0 ? (
            <EmptyState title="No domain has inbound mail turned on.">
              Open a verified domain on the <Link to="/domains">Domains</Link> page, turn inbound on and publish its MX record.
            </EmptyState>
          ) : (
            <CreateRoute domains={inboundDomains} />
          )}
        </Section>
      )}
      <Section title="Routes">
        {routes.isPending && <Loading what="routes" />}
        {routes.isError && <ErrorState error={routes.error} retry={() => routes.refetch()} />}
        {routes.data?.items.length === 0 && <EmptyState title="No routes yet.">Without a route, inbound mail for your domains is refused.</EmptyState>}
        {routes.data && routes.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="routes">
              <thead>
                <tr><th scope="col">Address</th><th scope="col">Action</th><th scope="col">Destination</th><th scope="col">TLS</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
              </thead>
              <tbody>
                {routes.data.items.map((route) => (
                  <RouteRow key={route.id} route={route} domainName={domainName(route.domainId)} canWrite={canWrite} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </Page>
  );
}

function CreateRoute({ domains }: { domains: DomainSummary[] }) {
  const create = useTenantMutation(
    (api, body: RouteInput & { domainId: string }) => unwrap(api.POST('/v1/inbound-routes', { body: { ...body, host: body.host ?? undefined, port: body.port ?? undefined } })),
    [['inbound-routes']],
  );
  return (
    <RouteForm
      domains={domains}
      submitLabel="Add route"
      pending={create.isPending}
      error={create.error}
      onSubmit={(input, domainId, form) => create.mutate({ ...input, domainId: domainId ?? '' }, { onSuccess: () => form.reset() })}
    />
  );
}
