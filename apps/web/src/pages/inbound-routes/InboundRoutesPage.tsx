import { Link } from 'react-router-dom';
import { send, unwrap } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError } from '../../components/FormError';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useCanWrite, useTenantMutation, useTenantQuery } from '../../session/tenant-query';
import { RouteForm } from './RouteForm';

export function InboundRoutesPage() {
  const canWrite = useCanWrite('config');
  const routes = useTenantQuery(['inbound-routes'], (api) => unwrap(api.GET('/v1/inbound-routes', { params: { query: { limit: 200 } } })));
  const domains = useTenantQuery(['domains'], (api) => unwrap(api.GET('/v1/domains', { params: { query: { limit: 200 } } })));
  const remove = useTenantMutation((api, id: string) => send(api.DELETE('/v1/inbound-routes/{id}', { params: { path: { id } } })), [['inbound-routes']]);
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
            <RouteForm domains={inboundDomains} />
          )}
        </Section>
      )}
      <Section title="Routes">
        <FormError error={remove.error} />
        {routes.isPending && <Loading what="routes" />}
        {routes.isError && <ErrorState error={routes.error} retry={() => routes.refetch()} />}
        {routes.data?.items.length === 0 && <EmptyState title="No routes yet.">Without a route, inbound mail for your domains is refused.</EmptyState>}
        {routes.data && routes.data.items.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th scope="col">Address</th><th scope="col">Action</th><th scope="col">Destination</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
              </thead>
              <tbody>
                {routes.data.items.map((route) => (
                  <tr key={route.id}>
                    <th scope="row" className="wrap">{route.pattern}@{domainName(route.domainId)}</th>
                    <td>{route.action === 'forward' ? 'Forward' : 'Reject'}</td>
                    <td className="wrap">{route.action === 'forward' ? `${route.host ?? ''}${route.port ? `:${route.port}` : ''}${route.requireTls ? ' (TLS required)' : ''}` : '—'}</td>
                    <td>{canWrite && <ConfirmButton label="Delete" question="Delete this route?" onConfirm={() => remove.mutate(route.id)} />}</td>
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
