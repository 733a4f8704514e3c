/** What the sink answers at one SMTP stage: accept, or a given reply such as `451 4.3.0 …`. */
export type SinkReply = 'accept' | { code: number; message: string };

/** Builds a refusal; put the enhanced status code (RFC 3463) at the start of `message`. */
export function reply(code: number, message: string): SinkReply {
  if (code < 400 || code > 599) throw new RangeError(`a refusal needs a 4xx or 5xx code, got ${code}`);
  return { code, message };
}

/**
 * Replies consumed one per attempt; the last one then repeats, so `[451, 451, 'accept']` means
 * "fail twice, then accept for good".
 */
export class ReplyScript {
  private readonly steps: SinkReply[];

  constructor(replies: SinkReply | readonly SinkReply[] = 'accept') {
    this.steps = Array.isArray(replies) ? [...replies] : [replies as SinkReply];
    if (this.steps.length === 0) this.steps.push('accept');
  }

  next(): SinkReply {
    return this.steps.length > 1 ? (this.steps.shift() as SinkReply) : (this.steps[0] as SinkReply);
  }
}

export function toSmtpError(refusal: Exclude<SinkReply, 'accept'>): Error & { responseCode: number } {
  return Object.assign(new Error(refusal.message), { responseCode: refusal.code });
}
