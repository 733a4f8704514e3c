const HEADER_END = Buffer.from('\r\n\r\n');

/** The header section (RFC 5322 §2.1), unfolded into name/value pairs in order. Bodies are never parsed. */
export function readHeaders(raw: Buffer): Array<{ name: string; value: string }> {
  const end = raw.indexOf(HEADER_END);
  const section = raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
  const headers: Array<{ name: string; value: string }> = [];
  for (const line of section.split('\r\n')) {
    const last = headers[headers.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) });
  }
  return headers;
}
