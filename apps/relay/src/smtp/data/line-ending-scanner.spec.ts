import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineEndingScanner, type LineRules } from './line-ending-scanner';

const SUBMISSION: LineRules = { normaliseBareLf: true, maxLineLength: 998 };

/** Feeds `text` split at every possible point, so chunk boundaries cannot hide a bad byte; the kept bytes or null. */
function scanAtEverySplit(text: string, rules?: LineRules): (string | null)[] {
  const bytes = Buffer.from(text, 'latin1');
  const results: (string | null)[] = [];
  for (let cut = 0; cut <= bytes.length; cut += 1) {
    const scanner = new LineEndingScanner(rules);
    const kept = [scanner.feed(bytes.subarray(0, cut)), scanner.feed(bytes.subarray(cut))];
    const ok = kept.every((part) => part !== null) && scanner.end();
    results.push(ok ? Buffer.concat(kept as Buffer[]).toString('latin1') : null);
  }
  return results;
}

describe('LineEndingScanner', () => {
  it('accepts CRLF-only text, whatever the chunking', () => {
    const text = 'a: b\r\n\r\nbody\r\n.dot\r\n';
    assert.ok(scanAtEverySplit(text).every((kept) => kept === text));
    assert.ok(scanAtEverySplit('').every((kept) => kept === ''));
  });

  for (const [name, text] of [
    ['bare LF', 'a\r\nb\nc\r\n'],
    ['LF at the start', '\nabc\r\n'],
    ['bare CR', 'a\rb\r\n'],
    ['CR at the very end', 'abc\r'],
    ['CR CR LF', 'a\r\r\n'],
    ['NUL', 'a\0b\r\n'],
    ['smuggling sequence', 'x\r\n\n.\n'],
  ] as const) {
    it(`refuses ${name} at every chunk boundary (port 25)`, () => {
      assert.ok(scanAtEverySplit(text).every((kept) => kept === null));
    });
  }

  it('submission: makes each bare LF a CRLF at every chunk boundary, so `\\n.\\n` is content, not an end of data', () => {
    const normalised = 'a\r\nb\r\nc\r\n\r\n.\r\nMAIL FROM:<x@y>\r\n';
    assert.ok(scanAtEverySplit('a\r\nb\nc\n\n.\nMAIL FROM:<x@y>\r\n', SUBMISSION).every((kept) => kept === normalised));
  });

  it('submission: still refuses bare CR and NUL', () => {
    for (const text of ['a\rb\r\n', 'x\r\r\n', 'a\0b\r\n']) assert.ok(scanAtEverySplit(text, SUBMISSION).every((kept) => kept === null), JSON.stringify(text));
  });

  it('submission: a line of 998 octets passes, 999 is refused, with either line ending and unterminated', () => {
    for (const end of ['\r\n', '\n']) {
      assert.ok(scanAtEverySplit(`${'x'.repeat(998)}${end}ok\r\n`, SUBMISSION).every((kept) => kept !== null));
      assert.ok(scanAtEverySplit(`ok\r\n${'x'.repeat(999)}${end}`, SUBMISSION).every((kept) => kept === null));
    }
    const scanner = new LineEndingScanner(SUBMISSION);
    assert.equal(scanner.feed(Buffer.alloc(1000, 0x78)), null, 'refused before its end arrives');
    assert.equal(scanner.fault, 'line_too_long');
  });
});
