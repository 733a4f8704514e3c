import libmime from 'libmime';

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_SUMMARY = 998; // RFC 5322 §2.1.1 line limit: more than any header the log needs to show

export interface Header {
  name: string;
  value: string;
}

/** The header section (RFC 5322 §2.1), unfolded into name/value pairs in order. Bodies are never parsed. */
export function readHeaders(raw: Buffer): Header[] {
  const end = raw.indexOf(HEADER_END);
  const section = raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
  const headers: Header[] = [];
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

/** Subject, From and Message-ID for the message log, with RFC 2047 encoded words decoded. */
export function summarize(headers: readonly Header[]): { subject: string | null; headerFrom: string | null; messageIdHeader: string | null } {
  const first = (name: string) => {
    const value = headers.find((header) => header.name === name)?.value.trim();
    return value ? decode(value).slice(0, MAX_SUMMARY) : null;
  };
  return { subject: first('subject'), headerFrom: first('from'), messageIdHeader: first('message-id') };
}

function decode(value: string): string {
  if (!value.includes('=?')) return value; // no encoded word (RFC 2047 §2): nothing to decode
  try {
    return libmime.decodeWords(value); // a method: it needs its object
  } catch {
    return value; // a malformed encoded word is shown as sent
  }
}
