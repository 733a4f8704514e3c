/**
 * Splits a streamed JSON object into its top-level members without materialising it: a member whose value is an
 * array is delivered one element at a time (as that element's JSON text), any other member as its whole JSON text.
 * This is what lets a relay node read a 130 MB policy snapshot while holding one network chunk and one entity, not
 * the response text, the parsed document and a validated copy of it at once.
 *
 * It checks the structure it walks (braces, brackets, commas, colons, strings) and leaves the inside of each piece
 * to JSON.parse, which the caller runs on it. Works on UTF-8 bytes: every structural character is ASCII, and no byte
 * of a multi-byte UTF-8 sequence is below 0x80, so a chunk may end anywhere, even inside a character.
 */
export interface JsonSectionHandler {
  /** A top-level member that is not an array: its value as JSON text. */
  member(key: string, json: string): void;
  /** An array is starting as the value of a top-level member. */
  arrayStart(key: string): void;
  /** One element of that array, in order, as JSON text. */
  element(key: string, index: number, json: string): void;
}

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const enum State {
  Open, // expecting the top-level '{'
  FirstKey, // expecting a key or '}'
  Key, // expecting a key (after ',')
  InKey, // inside a key string
  Colon,
  Value,
  ArrayFirst, // expecting an element or ']'
  ArrayNext, // expecting ',' or ']'
  Element, // expecting an element (after ',')
  Raw, // inside a value being captured
  AfterMember, // expecting ',' or '}'
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Carry capacity kept between pieces; a larger one (after a large member) is let go. */
const CARRY_KEEP_BYTES = 1 << 20;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

const decoder = new TextDecoder('utf-8', { fatal: true });

export class JsonSectionSplitter {
  private state = State.Open;
  /**
   * Bytes of the piece being captured that arrived in earlier chunks: `carry[0, carried)`. Grown by doubling, so a
   * piece spanning many chunks (a large member that is not an array) costs linear, not quadratic, copying.
   */
  private carry: Uint8Array = new Uint8Array(0);
  private carried = 0;
  private key = '';
  private inArray = false;
  private index = 0;
  // Inside a captured value.
  private depth = 0;
  private inString = false;
  private scalar = false;

  constructor(private readonly handler: JsonSectionHandler) {}

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    let pos = 0;
    let start = -1; // where the piece being captured starts in `bytes`
    if (this.carried > 0) {
      const total = this.carried + chunk.length;
      if (total > this.carry.length) {
        const grown = new Uint8Array(Math.max(total, this.carry.length * 2));
        grown.set(this.carry.subarray(0, this.carried));
        this.carry = grown;
      }
      this.carry.set(chunk, this.carried);
      bytes = this.carry.subarray(0, total);
      pos = this.carried;
      start = 0;
      this.carried = 0;
    }
    const length = bytes.length;
    while (pos < length) {
      const byte = bytes[pos] as number;
      switch (this.state) {
        case State.InKey: {
          const close = closingQuote(bytes, pos);
          if (close < 0) {
            pos = length;
            continue;
          }
          this.key = JSON.parse(decode(bytes, start, close + 1)) as string;
          start = -1;
          this.state = State.Colon;
          pos = close + 1;
          continue;
        }
        case State.Raw: {
          if (this.inString) {
            // Most of a document is string content: jump to the closing quote instead of walking it.
            const close = closingQuote(bytes, pos);
            if (close < 0) {
              pos = length;
              continue;
            }
            this.inString = false;
            pos = close + 1;
            if (this.depth === 0) {
              this.emit(decode(bytes, start, pos));
              start = -1;
            }
            continue;
          }
          if (this.scalar) {
            if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) {
              this.emit(decode(bytes, start, pos));
              start = -1;
              continue; // the terminator is read by the next state
            }
            pos += 1;
            continue;
          }
          let depth = this.depth;
          let at = pos;
          for (; at < length; at += 1) {
            const b = bytes[at] as number;
            if (b === QUOTE) break;
            if (b === OPEN_BRACE || b === OPEN_BRACKET) depth += 1;
            else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && (depth -= 1) === 0) break;
          }
          this.depth = depth;
          if (at === length) {
            pos = length;
            continue;
          }
          pos = at + 1;
          if (bytes[at] === QUOTE) this.inString = true;
          else {
            this.emit(decode(bytes, start, pos));
            start = -1;
          }
          continue;
        }
        default:
          break;
      }
      pos += 1;
      if (isSpace(byte)) continue;
      switch (this.state) {
        case State.Open:
          if (byte !== OPEN_BRACE) throw unexpected(byte, 'the top level must be an object');
          this.state = State.FirstKey;
          break;
        case State.FirstKey:
        case State.Key:
          if (byte === CLOSE_BRACE && this.state === State.FirstKey) this.state = State.Done;
          else if (byte === QUOTE) {
            start = pos - 1;
            this.state = State.InKey;
          } else throw unexpected(byte, 'expected a member name');
          break;
        case State.Colon:
          if (byte !== COLON) throw unexpected(byte, "expected ':'");
          this.state = State.Value;
          break;
        case State.Value:
          if (byte === OPEN_BRACKET) {
            this.inArray = true;
            this.index = 0;
            this.handler.arrayStart(this.key);
            this.state = State.ArrayFirst;
          } else start = this.beginRaw(byte, pos - 1);
          break;
        case State.ArrayFirst:
        case State.Element:
          if (byte === CLOSE_BRACKET && this.state === State.ArrayFirst) {
            this.inArray = false;
            this.state = State.AfterMember;
          } else start = this.beginRaw(byte, pos - 1);
          break;
        case State.ArrayNext:
          if (byte === COMMA) this.state = State.Element;
          else if (byte === CLOSE_BRACKET) {
            this.inArray = false;
            this.state = State.AfterMember;
          } else throw unexpected(byte, "expected ',' or ']'");
          break;
        case State.AfterMember:
          if (byte === COMMA) this.state = State.Key;
          else if (byte === CLOSE_BRACE) this.state = State.Done;
          else throw unexpected(byte, "expected ',' or '}'");
          break;
        case State.Done:
          throw unexpected(byte, 'text after the end of the document');
        default:
          throw new Error(`unreachable state ${this.state as number}`);
      }
    }
    if (start < 0) {
      if (this.carry.length > CARRY_KEEP_BYTES) this.carry = new Uint8Array(0);
      return;
    }
    const rest = bytes.length - start;
    if (bytes.buffer === this.carry.buffer && bytes.byteOffset === this.carry.byteOffset) {
      this.carry.copyWithin(0, start, bytes.length);
    } else {
      if (rest > this.carry.length) this.carry = new Uint8Array(Math.max(rest, CARRY_KEEP_BYTES / 4));
      this.carry.set(bytes.subarray(start));
    }
    this.carried = rest;
  }

  /** Call after the last chunk: throws unless a whole object was read. */
  end(): void {
    if (this.state !== State.Done) throw new JsonSyntaxError('unexpected end of JSON input');
  }

  private beginRaw(byte: number, at: number): number {
    this.state = State.Raw;
    this.depth = 0;
    this.inString = false;
    this.scalar = false;
    if (byte === QUOTE) this.inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth = 1;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === COMMA || byte === COLON) {
      throw unexpected(byte, 'expected a value');
    } else this.scalar = true;
    return at;
  }

  private emit(json: string): void {
    if (this.inArray) {
      this.handler.element(this.key, this.index, json);
      this.index += 1;
      this.state = State.ArrayNext;
    } else {
      this.handler.member(this.key, json);
      this.state = State.AfterMember;
    }
  }
}

/** The position of the quote that ends a string whose content continues at `from`, or -1 if not in `bytes`. */
function closingQuote(bytes: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(QUOTE, from); at >= 0; at = bytes.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

function decode(bytes: Uint8Array, start: number, end: number): string {
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    throw new JsonSyntaxError('invalid UTF-8');
  }
}

function unexpected(byte: number, expectation: string): JsonSyntaxError {
  return new JsonSyntaxError(`unexpected ${JSON.stringify(String.fromCharCode(byte))}: ${expectation}`);
}
