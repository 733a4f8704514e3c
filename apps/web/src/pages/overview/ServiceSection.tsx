import { unwrap } from '../../api/client';
import { formatTime } from '../../components/format';
import { Section } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';

/** Whether the relay fleet is up and current, in words; node details stay with operators. */
export function ServiceSection() {
  const status = useTenantQuery(['service-status'], (api) => unwrap(api.GET('/v1/service-status')), { refetchInterval: 30_000 });
  return (
    <Section title="Relay service">
      {status.isPending && <Loading what="relay status" />}
      {status.isError && <ErrorState error={status.error} retry={() => status.refetch()} />}
      {status.data && (
        <p role="status" className={status.data.healthyNodes > 0 ? 'alert alert-info' : 'alert alert-error'}>
          {status.data.healthyNodes > 0
            ? `${status.data.healthyNodes} relay node${status.data.healthyNodes === 1 ? '' : 's'} accepting mail`
            : 'No relay node is reporting: mail cannot be accepted right now. We are on it.'}
          {status.data.staleNodes > 0 && `; ${status.data.staleNodes} not reporting`}
          {status.data.maxPolicyLag > 0 && `; your latest changes are still reaching some nodes`}
          {status.data.lastHeartbeatAt && <span className="small muted"> (last report {formatTime(status.data.lastHeartbeatAt)})</span>}
        </p>
      )}
    </Section>
  );
}
