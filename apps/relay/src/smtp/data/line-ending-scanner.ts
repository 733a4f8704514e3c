const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/**
 * Finds bare CR, bare LF and NUL in a byte stream fed in arbitrary chunks (RFC 5321 §2.3.8: only CRLF ends
 * a line). smtp-server ends DATA only at CRLF.CRLF and passes `\n.\n`, `\r.\r` and friends through as
 * content; a downstream server that reads those as end-of-data would then see the rest as new commands
 * (SMTP smuggling, CVE-2023-51764 class), so any of them makes the message unacceptable.
 */
export class LineEndingScanner {
  private previous = -1;
  private pendingCr = false;
  private bad = false;

  /** False once a bad byte was seen; later chunks are not looked at. */
  feed(chunk: Buffer): boolean {
    if (this.bad || chunk.length === 0) return !this.bad;
    if (chunk.includes(NUL) || (this.pendingCr && chunk[0] !== LF)) return this.fail();
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const before = i === 0 ? this.previous : chunk[i - 1];
      if (before !== CR) return this.fail();
    }
    for (let i = chunk.indexOf(CR); i !== -1; i = chunk.indexOf(CR, i + 1)) {
      if (i + 1 < chunk.length && chunk[i + 1] !== LF) return this.fail();
    }
    this.previous = chunk[chunk.length - 1] as number;
    this.pendingCr = this.previous === CR;
    return true;
  }

  /** True when the whole stream had only CRLF line endings and no NUL. */
  end(): boolean {
    return !this.bad && !this.pendingCr;
  }

  private fail(): false {
    this.bad = true;
    return false;
  }
}
