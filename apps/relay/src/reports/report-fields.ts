export interface Field {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value, trimmed. */
  value: string;
}

/**
 * RFC 822-style fields as reports write them (RFC 3464 §2.1, RFC 5965 §3.1): blocks separated by blank lines, each
 * field unfolded (RFC 5322 §2.2.3, the whitespace at a fold becomes one space), repeated fields kept in order. A line
 * that is not a field, and a continuation after one, is skipped; empty blocks are left out.
 */
export function fieldBlocks(text: string): Field[][] {
  const blocks: Field[][] = [];
  let block: Field[] = [];
  let current: Field | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (block.length > 0) blocks.push(block);
      block = [];
      current = null;
    } else if (/^[ \t]/.test(line)) {
      if (current !== null) current.value = `${current.value} ${line.trim()}`;
    } else {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
      current = name === '' ? null : { name, value: line.slice(colon + 1).trim() };
      if (current !== null) block.push(current);
    }
  }
  if (block.length > 0) blocks.push(block);
  return blocks;
}
