import { unwrap } from '../../api/client';
import { Page, Section } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useCanWrite, useTenantQuery } from '../../session/tenant-query';
import { PasswordForm } from './PasswordForm';
import { TenantSettingsForm } from './TenantSettingsForm';

export function SettingsPage() {
  const canWrite = useCanWrite('people');
  const tenant = useTenantQuery(['tenant'], (api) => unwrap(api.GET('/v1/tenant')));
  return (
    <Page title="Settings">
      <Section title="Team">
        {tenant.isPending && <Loading what="settings" />}
        {tenant.isError && <ErrorState error={tenant.error} retry={() => tenant.refetch()} />}
        {tenant.data && <TenantSettingsForm tenant={tenant.data} canWrite={canWrite} />}
      </Section>
      <Section title="Your password">
        <PasswordForm />
      </Section>
    </Page>
  );
}
