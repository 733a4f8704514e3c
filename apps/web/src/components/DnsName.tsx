import { Fragment } from 'react';

/**
 * A DNS name that wraps only after its dots: each label is kept whole (a break at a hyphen or mid-label reads as two
 * names), with a break opportunity after every dot. The text is unchanged, so copying it gives the name.
 */
export function DnsName({ name, code = false }: { name: string; code?: boolean }) {
  const labels = name.split('.');
  // The break opportunity sits between the label spans, which do not wrap themselves.
  const parts = labels.map((label, index) => (
    <Fragment key={index}>
      <span>{index < labels.length - 1 ? `${label}.` : label}</span>
      {index < labels.length - 1 && <wbr />}
    </Fragment>
  ));
  return code ? <code className="dns-name">{parts}</code> : <span className="dns-name">{parts}</span>;
}
