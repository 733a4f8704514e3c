/** A decoded form body or query string, with Stripe's bracket notation (`a[b][0][c]=v`) as nested objects and arrays. */
export type FormValue = string | FormValue[] | FormParams;
export interface FormParams {
  [key: string]: FormValue;
}

type Container = FormParams | FormValue[];

// A key such as `__proto__[x]` would otherwise write through to Object.prototype.
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses what the Stripe SDK sends: numeric (or empty, `expand[]`) segments make arrays, others make objects. */
export function parseForm(text: string): FormParams {
  const root: FormParams = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = keyPath(key);
    if (!path.some((segment) => UNSAFE_SEGMENTS.has(segment))) setPath(root, path, value);
  }
  return root;
}

function keyPath(key: string): string[] {
  const head = key.indexOf('[');
  if (head <= 0 || !key.endsWith(']')) return [key];
  return [key.slice(0, head), ...key.slice(head + 1, -1).split('][')];
}

function setPath(root: FormParams, path: string[], value: string): void {
  let container: Container = root;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i] as string;
    const existing = read(container, segment);
    const child: Container = typeof existing === 'object' ? existing : isIndex(path[i + 1] as string) ? [] : {};
    write(container, segment, child);
    container = child;
  }
  write(container, path[path.length - 1] as string, value);
}

function isIndex(segment: string): boolean {
  return segment === '' || /^\d+$/.test(segment);
}

function read(container: Container, segment: string): FormValue | undefined {
  if (!Array.isArray(container)) return container[segment];
  return segment === '' ? undefined : container[Number(segment)];
}

function write(container: Container, segment: string, value: FormValue): void {
  if (!Array.isArray(container)) container[segment] = value;
  else if (isIndex(segment)) container[segment === '' ? container.length : Number(segment)] = value;
}
