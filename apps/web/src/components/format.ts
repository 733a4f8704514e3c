/** Some API dates are typed loosely in the OpenAPI document; they arrive as ISO strings. */
export function formatTime(value: unknown): string {
  if (typeof value !== 'string' && !(value instanceof Date)) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en');
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}
