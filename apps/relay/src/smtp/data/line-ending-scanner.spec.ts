import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineEndingScanner } from './line-ending-scanner';

/** Feeds `text` split at every possible point, so chunk boundaries cannot hide a bad byte. */
function acceptsAtEverySplit(text: string): boolean[] {
  const bytes = Buffer.from(text, 'latin1');
  const results: boolean[] = [];
  for (let cut = 0; cut <= bytes.length; cut += 1) {
    const scanner = new LineEndingScanner();
    const ok = scanner.feed(bytes.subarray(0, cut)) && scanner.feed(bytes.subarray(cut));
    results.push(ok && scanner.end());
  }
  return results;
}

describe('LineEndingScanner', () => {
  it('accepts CRLF-only text, whatever the chunking', () => {
    assert.ok(acceptsAtEverySplit('a: b\r\n\r\nbody\r\n.dot\r\n').every(Boolean));
    assert.ok(acceptsAtEverySplit('').every(Boolean));
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
    it(`refuses ${name} at every chunk boundary`, () => {
      assert.ok(acceptsAtEverySplit(text).every((ok) => !ok));
    });
  }
});
