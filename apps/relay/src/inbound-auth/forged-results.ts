const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Removes every Authentication-Results header that claims our authserv-id (RFC 8601 §5: a border MTA MUST remove
 * or rename such fields before adding its own, or a sender could forge "dkim=pass" under our name). Others' results
 * and the ARC set (signed, RFC 8617) stay. Works on the bytes: the rest of the message is left exactly as received.
 */
export function removeForgedResults(raw: Buffer, authservId: string): { raw: Buffer; removed: number } {
  const end = raw.indexOf(HEADER_END);
  const headerEnd = end === -1 ? raw.length : end + 2;
  const section = raw.subarray(0, headerEnd).toString('latin1');
  const fields = splitFields(section);
  const own = authservId.toLowerCase();
  const kept = fields.filter((field) => !claims(field, own));
  if (kept.length === fields.length) return { raw, removed: 0 };
  return { raw: Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(headerEnd)]), removed: fields.length - kept.length };
}

/** Header fields with their folded continuation lines and CRLFs, so joining them gives the section back. */
function splitFields(section: string): string[] {
  const fields: string[] = [];
  for (const line of section.split(/(?<=\r\n)/)) {
    const last = fields.length - 1;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last >= 0) fields[last] += line;
    else fields.push(line);
  }
  return fields;
}

function claims(field: string, authservId: string): boolean {
  const colon = field.indexOf(':');
  if (colon <= 0 || field.slice(0, colon).trim().toLowerCase() !== 'authentication-results') return false;
  return authservIdOf(field.slice(colon + 1)) === authservId;
}

/** RFC 8601 §2.2: `[CFWS] authserv-id [CFWS authres-version] ( no-result / 1*resinfo )`; comments may nest. */
function authservIdOf(value: string): string {
  let rest = value.replace(/\r\n/g, '');
  for (;;) {
    rest = rest.trimStart();
    if (!rest.startsWith('(')) break;
    let depth = 0;
    let i = 0;
    for (; i < rest.length; i++) {
      if (rest[i] === '(') depth++;
      else if (rest[i] === ')' && --depth === 0) break;
    }
    rest = rest.slice(i + 1);
  }
  return (/^[^\s;(]+/.exec(rest)?.[0] ?? '').toLowerCase().replace(/\.$/, '');
}
