import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { readMessage } from './read-message';

const stream = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c, 'latin1')));

describe('readMessage', () => {
  it('returns the message when it fits', async () => {
    const result = await readMessage(stream('a: b\r\n', '\r\nbody\r\n'), 100);
    assert.deepEqual(result, { ok: true, raw: Buffer.from('a: b\r\n\r\nbody\r\n') });
  });

  it('reads an oversized message to the end and reports its full size', async () => {
    const result = await readMessage(stream('x'.repeat(60), 'y'.repeat(60), 'z\r\n'), 100);
    assert.deepEqual(result, { ok: false, reason: 'too_large', bytes: 123 });
  });

  it('reports a bare line ending even when it comes after the limit is checked', async () => {
    const result = await readMessage(stream('ok\r\n', 'bad\n'), 100);
    assert.deepEqual(result, { ok: false, reason: 'bare_line_ending', bytes: 8 });
  });

  it('with the submission rules, returns the message with bare LFs made CRLF, and refuses an overlong line', async () => {
    const rules = { normaliseBareLf: true, maxLineLength: 998 };
    assert.deepEqual(await readMessage(stream('a: b\n', '\nbody\n'), 100, rules), { ok: true, raw: Buffer.from('a: b\r\n\r\nbody\r\n') });
    const long = await readMessage(stream('a: b\r\n\r\n', 'x'.repeat(999), '\r\n'), 10_000, rules);
    assert.deepEqual(long, { ok: false, reason: 'line_too_long', bytes: 1009 });
  });
});
