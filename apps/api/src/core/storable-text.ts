/**
 * Strings Postgres cannot store: `text` refuses NUL (22021), and an unpaired UTF-16 surrogate is not Unicode at all
 * (the driver turns it into U+FFFD in text columns; jsonb refuses its escape). Neither has a use in any field we
 * take, free text included, so they are refused with the field's name rather than stripped: stripping would store
 * something other than what the client sent without telling it. See ADR 0007.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnstorableString {
  /** Path from the request part to the offending string (an object key counts as the value under it). */
  path: string[];
}

/**
 * The first string (value or object key) in a parsed request part that Postgres cannot store. Iterative, because
 * a JSON body can nest thousands of levels deep within the size limit.
 */
export function findUnstorableString(root: unknown): UnstorableString | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return { path };
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: [...path, String(index)] }));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (UNSTORABLE.test(key)) return { path: [...path, printableKey(key)] };
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/** A key is echoed in the error's field name; its unstorable characters are not. */
function printableKey(key: string): string {
  return key.replace(new RegExp(UNSTORABLE.source, 'g'), '\ufffd');
}
