import type { Readable } from 'node:stream';
import { LineEndingScanner, type LineFault, type LineRules } from './line-ending-scanner';

export type ReadMessageResult = { ok: true; raw: Buffer } | { ok: false; reason: 'too_large' | LineFault; bytes: number };

/**
 * Reads a DATA stream to its end, always (smtp-server only continues the session once it ended). Counts bytes
 * as they arrive and stops keeping them once the message is over `maxBytes` or has a bad line, so an oversized
 * or hostile message costs no memory beyond the limit.
 */
export function readMessage(stream: Readable, maxBytes: number, rules?: LineRules): Promise<ReadMessageResult> {
  const scanner = new LineEndingScanner(rules);
  const chunks: Buffer[] = [];
  let bytes = 0;
  let kept = 0;
  let reason: 'too_large' | LineFault | null = null;
  // 'data' events rather than `for await`: the async iterator costs a promise per chunk on the hot path.
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (reason !== null) return;
      const accepted = scanner.feed(chunk);
      if (accepted === null) reason = scanner.fault;
      else if (bytes > maxBytes) reason = 'too_large';
      else {
        chunks.push(accepted);
        kept += accepted.length;
      }
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
      if (reason === null && !scanner.end()) reason = scanner.fault;
      resolve(reason === null ? { ok: true, raw: Buffer.concat(chunks, kept) } : { ok: false, reason, bytes });
    });
  });
}
