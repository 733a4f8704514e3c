import type { Readable } from 'node:stream';
import { LineEndingScanner } from './line-ending-scanner';

export type ReadMessageResult =
  | { ok: true; raw: Buffer }
  | { ok: false; reason: 'too_large' | 'bare_line_ending'; bytes: number };

/**
 * Reads a DATA stream to its end, always (smtp-server only continues the session once it ended). Counts bytes
 * as they arrive and stops keeping them once the message is over `maxBytes` or has a bad line ending, so an
 * oversized or hostile message costs no memory beyond the limit.
 */
export async function readMessage(stream: Readable, maxBytes: number): Promise<ReadMessageResult> {
  const scanner = new LineEndingScanner();
  const chunks: Buffer[] = [];
  let bytes = 0;
  let reason: 'too_large' | 'bare_line_ending' | null = null;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (reason !== null) continue;
    if (!scanner.feed(chunk)) reason = 'bare_line_ending';
    else if (bytes > maxBytes) reason = 'too_large';
    else chunks.push(chunk);
    if (reason !== null) chunks.length = 0;
  }
  if (reason === null && !scanner.end()) reason = 'bare_line_ending';
  return reason === null ? { ok: true, raw: Buffer.concat(chunks, bytes) } : { ok: false, reason, bytes };
}
