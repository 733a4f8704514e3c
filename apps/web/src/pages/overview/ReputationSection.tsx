import { unwrap } from '../../api/client';
import { formatTime } from '../../components/format';
import { Section } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';

/**
 * Blocklist (DNSBL) listings that affect this tenant's mail: its own sending domains, and the relay's shared IP
 * addresses (which the operator handles, but which the tenant should know about when mail lands in spam).
 */
export function ReputationSection() {
  const report = useTenantQuery(['blacklist'], (api) => unwrap(api.GET('/v1/blacklist')), { refetchInterval: 300_000 });
  const data = report.data;
  const zones = data ? data.zones.ip.length + data.zones.domain.length : 0;
  const checked = data?.checkedAt ? `checked ${formatTime(data.checkedAt)}` : 'not checked yet';
  return (
    <Section title="Blocklists">
      {report.isPending && <Loading what="blocklist status" />}
      {report.isError && <ErrorState error={report.error} retry={() => report.refetch()} />}
      {data && zones === 0 && (
        <p role="status" className="alert alert-info">
          Blocklist monitoring is off: no blocklists are configured for this service.
        </p>
      )}
      {data && zones > 0 && data.domains.length === 0 && data.relayIps.length === 0 && (
        <p role="status" className="alert alert-ok">
          Not listed on any of the {zones} blocklists we watch <span className="small muted">({checked})</span>.
        </p>
      )}
      {data && data.domains.length > 0 && (
        <div role="status" className="alert alert-error">
          <p>
            <strong>Your domain is on a blocklist.</strong> Receivers that use the list may refuse your mail or file it as spam. Find what
            caused it (a leaked SMTP credential, mail sent without consent), stop it, then ask the list's operator to remove the listing.
          </p>
          <ul>
            {data.domains.map((listing) => (
              <li key={`${listing.domainId}-${listing.zone}`}>
                <strong>{listing.domain}</strong> on <code>{listing.zone}</code> since {formatTime(listing.since)}
                {listing.response ? `: ${listing.response}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {data && data.relayIps.length > 0 && (
        <div role="status" className="alert alert-warn">
          <p>A relay address we send from is on a blocklist; we are working on it. Some receivers may delay or refuse mail until it is removed.</p>
          <ul>
            {data.relayIps.map((listing) => (
              <li key={`${listing.ip}-${listing.zone}`}>
                <code>{listing.ip}</code> on <code>{listing.zone}</code> since {formatTime(listing.since)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}
