import type { SuppressionView } from './suppression-schemas';

export const CSV_HEADER = 'address,reason,detail,created_at\r\n';

/**
 * RFC 4180 line. Every cell is defused against spreadsheet formula injection (CWE-1236, OWASP "CSV Injection"):
 * not only the free-text detail: an address's local part may itself start with `=`, `+`, `-` (RFC 5322 atext).
 */
export function csvLine(row: SuppressionView): string {
  const cells = [row.address, row.reason, row.detail ?? '', row.createdAt.toISOString()];
  return cells.map((cell) => quote(defuseFormula(cell))).join(',') + '\r\n';
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
