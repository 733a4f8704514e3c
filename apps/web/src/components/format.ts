/** Some API dates are typed loosely in the OpenAPI document; they arrive as ISO strings. */
export function formatTime(value: unknown): string {
  if (typeof value !== 'string' && !(value instanceof Date)) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A calendar day, e.g. a subscription's renewal: the time of day would only be noise. */
export function formatDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleDateString(undefined, { dateStyle: 'long' });
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en');
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}

const MB = 1024 * 1024;

/** Message size limits are whole mebibytes in practice; anything else falls back to KB. */
export function formatBytes(bytes: number): string {
  return bytes >= MB && bytes % MB === 0 ? `${formatNumber(bytes / MB)} MB` : `${formatNumber(Math.round(bytes / 1024))} KB`;
}
