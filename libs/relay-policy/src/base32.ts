/**
 * The first `length` base32 characters of `bytes` (5 bits each, most significant first) in the given alphabet; whole
 * 5-bit groups only, which is all a MAC cut to a length needs.
 */
export function toBase32(bytes: Uint8Array, alphabet: string, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === length) break;
  }
  return out;
}
