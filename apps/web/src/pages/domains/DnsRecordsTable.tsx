import type { DnsRecord } from '../../api/types';
import { Badge } from '../../components/Badge';
import { CopyButton } from '../../components/CopyButton';
import { DnsName } from '../../components/DnsName';

const PURPOSE: Record<DnsRecord['kind'], string> = {
  ownership: 'Proves you own the domain',
  spf: 'Lets our relay send for the domain (SPF)',
  dkim: 'Signature key (DKIM)',
  dmarc: 'Policy for receivers (DMARC)',
  return_path: 'Bounce address (return path)',
  mx: 'Receives inbound mail (MX)',
};

/** One row per record to publish, each value copyable; the status says what our last lookup found. */
export function DnsRecordsTable({ records }: { records: DnsRecord[] }) {
  return (
    <div className="table-wrap">
      <table className="records">
        <thead>
          <tr>
            <th scope="col">Purpose</th>
            <th scope="col">Type</th>
            <th scope="col">Host</th>
            <th scope="col">Value</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr key={record.id}>
              <th scope="row">
                {PURPOSE[record.kind]}
                {!record.required && <span className="muted small"> (optional)</span>}
              </th>
              <td data-label="Type">{record.type}</td>
              <td data-label="Host">
                <DnsName name={record.host} code /> <CopyButton text={record.host} what={`${record.kind} host`} />
              </td>
              <td data-label="Value">
                <code className="wrap">{record.value}</code> <CopyButton text={record.value} what={`${record.kind} value`} />
              </td>
              <td data-label="Status">
                <Badge status={record.status} words />
                {record.drift && <p className="small field-error">Was correct before; your DNS changed.</p>}
                {record.detail && <p className="small muted">{record.detail}</p>}
                {record.seenValue && record.status === 'mismatch' && <p className="small muted">Found: <code className="wrap">{record.seenValue}</code></p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
