const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

export type LineFault = 'bare_line_ending' | 'line_too_long';

export interface LineRules {
  /**
   * Authenticated submission: a bare LF is taken for the CRLF the client meant and rewritten (Postfix does the
   * same). Port 25: refused, a relay never guesses where a stranger's lines end.
   */
  normaliseBareLf: boolean;
  /** Octets a line may hold before its CRLF (RFC 5322 §2.1.1: 998), or Infinity. */
  maxLineLength: number;
}

const REFUSE_ALL: LineRules = { normaliseBareLf: false, maxLineLength: Infinity };

/**
 * Finds bare CR, bare LF, NUL and overlong lines in a byte stream fed in arbitrary chunks (RFC 5321 §2.3.8: only
 * CRLF ends a line). smtp-server ends DATA only at CRLF.CRLF and passes `\n.\n`, `\r.\r` and friends through as
 * content; a downstream server that reads those as end-of-data would then see the rest as new commands (SMTP
 * smuggling, CVE-2023-51764 class). Refused, or for a bare LF under `normaliseBareLf` made a real CRLF: then `.`
 * is an ordinary line of content, which the delivery client dot-stuffs like any other (RFC 5321 §4.5.2).
 */
export class LineEndingScanner {
  private previous = -1;
  private pendingCr = false;
  /** Octets of the line still open at the end of the last chunk, its CR included. */
  private openLine = 0;
  private failure: LineFault | null = null;

  constructor(private readonly rules: LineRules = REFUSE_ALL) {}

  get fault(): LineFault | null {
    return this.failure;
  }

  /** The chunk to keep (the same buffer unless a bare LF was rewritten), or null once a fault was seen. */
  feed(chunk: Buffer): Buffer | null {
    if (this.failure !== null) return null;
    if (chunk.length === 0) return chunk;
    if (chunk.includes(NUL) || (this.pendingCr && chunk[0] !== LF)) return this.fail('bare_line_ending');
    for (let i = chunk.indexOf(CR); i !== -1; i = chunk.indexOf(CR, i + 1)) {
      if (i + 1 < chunk.length && chunk[i + 1] !== LF) return this.fail('bare_line_ending');
    }
    let bareLfs: number[] | null = null;
    let lineStart = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const crlf = (i === 0 ? this.previous : chunk[i - 1]) === CR;
      if (!crlf) {
        if (!this.rules.normaliseBareLf) return this.fail('bare_line_ending');
        (bareLfs ??= []).push(i);
      }
      if (this.openLine + i - lineStart - (crlf ? 1 : 0) > this.rules.maxLineLength) return this.fail('line_too_long');
      this.openLine = 0;
      lineStart = i + 1;
    }
    this.openLine += chunk.length - lineStart;
    // A line that never ends is refused as soon as it is too long, not kept until its end.
    if (this.openLine - 1 > this.rules.maxLineLength) return this.fail('line_too_long');
    this.previous = chunk[chunk.length - 1] as number;
    this.pendingCr = this.previous === CR;
    return bareLfs === null ? chunk : withCrlf(chunk, bareLfs);
  }

  /** True when the whole stream was acceptable. */
  end(): boolean {
    if (this.failure === null && this.pendingCr) this.fail('bare_line_ending');
    return this.failure === null;
  }

  private fail(fault: LineFault): null {
    this.failure = fault;
    return null;
  }
}

/** The chunk with a CR before each of the given LF positions. */
function withCrlf(chunk: Buffer, bareLfs: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(chunk.length + bareLfs.length);
  let from = 0;
  let to = 0;
  for (const lf of bareLfs) {
    to += chunk.copy(out, to, from, lf);
    out[to] = CR;
    to += 1;
    from = lf;
  }
  chunk.copy(out, to, from);
  return out;
}
