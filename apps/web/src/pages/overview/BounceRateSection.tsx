import { unwrap } from '../../api/client';
import { formatNumber } from '../../components/format';
import { Section } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useTenantQuery } from '../../session/tenant-query';

const asPercent = (rate: number, digits = 1) => `${(rate * 100).toFixed(digits)}%`;

/**
 * The bounce and complaint rates the reputation guard judges, next to the rates at which it pauses sending, so a team
 * cleans its list before the relay stops its mail. Warns from half a pause rate on.
 */
type Report = NonNullable<ReturnType<typeof useReport>['data']>;

const useReport = () => useTenantQuery(['reputation', 'bounce-rate'], (api) => unwrap(api.GET('/v1/reputation/bounce-rate')), { refetchInterval: 300_000 });

/** When the service pauses sending, in one sentence. */
function ruleSentence(data: Report): string {
  const rules = [
    data.pauseRate > 0 ? `at ${asPercent(data.pauseRate)} bounces once ${formatNumber(data.minMessages)} messages have a result` : null,
    data.complaintPauseRate > 0 ? `at ${asPercent(data.complaintPauseRate, 2)} spam complaints once ${formatNumber(data.minDelivered)} messages are delivered` : null,
  ].filter((rule) => rule !== null);
  return rules.length === 0 ? 'This service does not pause sending for bounces or complaints.' : `Sending is paused automatically ${rules.join(', and ')}.`;
}

export function BounceRateSection() {
  const report = useReport();
  const data = report.data;
  const total = data ? data.delivered + data.bounced : 0;
  const near = (rate: number | null, pauseAt: number) => rate !== null && pauseAt > 0 && rate >= pauseAt / 2;
  const warnBounces = data !== undefined && near(data.bounceRate, data.pauseRate);
  const warnComplaints = data !== undefined && near(data.complaintRate, data.complaintPauseRate);
  const warn = warnBounces || warnComplaints;
  return (
    <Section title="Bounces and complaints, last 24 hours">
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
            {data.complaintRate !== null && (
              <>
                <strong>{asPercent(data.complaintRate, 2)}</strong> of delivered messages drew a spam complaint ({formatNumber(data.complained)}).{' '}
              </>
            )}
            {ruleSentence(data)}
          </p>
          {warnBounces && (
            <p>
              Remove the addresses that bounce (the Messages log lists them, and they are suppressed already) and check how the
              list was collected: bought, scraped or old lists bounce, and get the relay blocklisted.
            </p>
          )}
          {warnComplaints && (
            <p>
              Recipients are marking your mail as spam. Send only to people who asked for it, make unsubscribing easy, and say who
              you are in the From line; the complainers are suppressed already.
            </p>
          )}
        </div>
      )}
    </Section>
  );
}
