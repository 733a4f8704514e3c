import type { SuppressionView } from './suppression-schemas';

export const CSV_HEADER = 'address,reason,detail,created_at\r\n';

/** RFC 4180 line. Free text is also defused against spreadsheet formula injection (CWE-1236). */
export function csvLine(row: SuppressionView): string {
  return [row.address, row.reason, defuseFormula(row.detail ?? ''), row.createdAt.toISOString()].map(quote).join(',') + '\r\n';
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
