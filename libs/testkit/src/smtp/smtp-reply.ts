export interface SmtpReply {
  code: number;
  /** Text of each line without the code and separator, e.g. `['mx.test', 'PIPELINING', 'STARTTLS']`. */
  lines: string[];
  /** The reply as received, CRLFs included. */
  raw: string;
}

// RFC 5321 §4.2: every line starts with the 3-digit code; "-" after it continues, " " (or nothing) ends.
const LINE = /^(\d{3})([ -]?)(.*)$/;

/**
 * Takes one complete reply off the front of `buffer`, or returns undefined when more input is
 * needed. A line that is not a reply line is returned as code 0 so a test sees the protocol error.
 */
export function takeReply(buffer: string): { reply: SmtpReply; rest: string } | undefined {
  const lines: string[] = [];
  let offset = 0;
  for (;;) {
    const end = buffer.indexOf('\n', offset);
    if (end < 0) return undefined;
    const line = buffer.slice(offset, end).replace(/\r$/, '');
    offset = end + 1;
    const match = LINE.exec(line);
    if (!match) return { reply: { code: 0, lines: [line], raw: buffer.slice(0, offset) }, rest: buffer.slice(offset) };
    lines.push(match[3] ?? '');
    if (match[2] !== '-') {
      return { reply: { code: Number(match[1]), lines, raw: buffer.slice(0, offset) }, rest: buffer.slice(offset) };
    }
  }
}
