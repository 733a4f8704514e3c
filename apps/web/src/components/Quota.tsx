import { useId } from 'react';
import { formatNumber } from './format';

/** Usage against a limit, as a meter that turns amber and red as the limit nears. */
export function Quota({ label, used, limit }: { label: string; used: number; limit: number }) {
  const id = useId();
  return (
    <div className="quota">
      <div className="quota-head">
        <span id={id}>{label}</span>
        <span>
          {formatNumber(used)} of {formatNumber(limit)}
        </span>
      </div>
      <meter aria-labelledby={id} min={0} max={limit} value={Math.min(used, limit)} low={limit * 0.8} high={limit * 0.95} optimum={0} />
    </div>
  );
}
