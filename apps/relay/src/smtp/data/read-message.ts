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
export function readMessage(stream: Readable, maxBytes: number): Promise<ReadMessageResult> {
  const scanner = new LineEndingScanner();
  const chunks: Buffer[] = [];
  let bytes = 0;
  let reason: 'too_large' | 'bare_line_ending' | null = null;
  // 'data' events rather than `for await`: the async iterator costs a promise per chunk on the hot path.
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (reason !== null) return;
      if (!scanner.feed(chunk)) reason = 'bare_line_ending';
      else if (bytes > maxBytes) reason = 'too_large';
      else chunks.push(chunk);
      if (reason !== null) chunks.length = 0;
    });
    stream.once('error', reject);
    let ended = false;
    // Destroyed before its end (the client went away): settles like the async iterator did, with an error. The
    // stream closes after every message too; an Error (and its stack trace) only when it did not end first.
    stream.once('close', () => {
      if (!ended) reject(new Error('the message stream closed before its end'));
    });
    stream.once('end', () => {
      ended = true;
      if (reason === null && !scanner.end()) reason = 'bare_line_ending';
      resolve(reason === null ? { ok: true, raw: Buffer.concat(chunks, bytes) } : { ok: false, reason, bytes });
    });
  });
}
