import { unwrap } from '../../api/client';
import { formatNumber } from '../../components/format';
import { Section } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';

const asPercent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/**
 * The bounce rate the reputation guard judges, next to the rate at which it pauses sending, so a team cleans its
 * list before the relay stops its mail. Warns from half the pause rate on.
 */
export function BounceRateSection() {
  const report = useTenantQuery(['reputation', 'bounce-rate'], (api) => unwrap(api.GET('/v1/reputation/bounce-rate')), { refetchInterval: 300_000 });
  const data = report.data;
  const total = data ? data.delivered + data.bounced : 0;
  const warn = data !== undefined && data.bounceRate !== null && data.pauseRate > 0 && data.bounceRate >= data.pauseRate / 2;
  const rule =
    data && data.pauseRate > 0
      ? `Sending is paused automatically at ${asPercent(data.pauseRate)} once ${formatNumber(data.minMessages)} messages have a result.`
      : 'This service does not pause sending for bounces.';
  return (
    <Section title="Bounces, last 24 hours">
      {report.isPending && <Loading what="bounce rate" />}
      {report.isError && <ErrorState error={report.error} retry={() => report.refetch()} />}
      {data && (
        <div role="status" className={warn ? 'alert alert-warn' : 'alert alert-ok'}>
          <p>
            {data.bounceRate === null ? (
              'No message has been delivered or bounced yet.'
            ) : (
              <>
                <strong>{asPercent(data.bounceRate)}</strong> of {formatNumber(total)} messages bounced.
              </>
            )}{' '}
            {rule}
          </p>
          {warn && (
            <p>
              Remove the addresses that bounce (the Messages log lists them, and they are suppressed already) and check how the
              list was collected: bought, scraped or old lists bounce, and get the relay blocklisted.
            </p>
          )}
        </div>
      )}
    </Section>
  );
}
