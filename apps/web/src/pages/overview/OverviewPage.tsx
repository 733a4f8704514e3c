import { Link } from 'react-router-dom';
import { unwrap } from '../../api/client';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';
import { ActivitySection } from './ActivitySection';
import { BounceRateSection } from './BounceRateSection';
import { QuotaSection } from './QuotaSection';
import { ReputationSection } from './ReputationSection';
import { ServiceSection } from './ServiceSection';

export function OverviewPage() {
  const tenant = useTenantQuery(['tenant'], (api) => unwrap(api.GET('/v1/tenant')));
  const domains = useTenantQuery(['domains'], (api) => unwrap(api.GET('/v1/domains')));
  const noDomains = domains.data && domains.data.items.length === 0;
  return (
    <Page title="Overview" intro={tenant.data ? tenant.data.name : undefined}>
      {noDomains && (
        <div className="alert alert-info">
          <p>
            <strong>Start here:</strong> <Link to="/domains">add the domain you send from</Link>, publish its DNS records, then{' '}
            <Link to="/credentials">create an SMTP credential</Link> for your application.
          </p>
        </div>
      )}
      {tenant.isPending && <Loading what="usage" />}
      {tenant.isError && <ErrorState error={tenant.error} retry={() => tenant.refetch()} />}
      {tenant.data && <QuotaSection tenant={tenant.data} />}
      <ActivitySection />
      <BounceRateSection />
      <ServiceSection />
      <ReputationSection />
    </Page>
  );
}
