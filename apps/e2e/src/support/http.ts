export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type HttpCall = <T = any>(method: string, path: string, body?: unknown) => Promise<HttpResult<T>>;

/** A JSON client for one base URL that sends `headers` with every request. */
export function httpClient(baseUrl: string, headers: Record<string, string> = {}): HttpCall {
  return async (method, path, body) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as never, headers: response.headers };
  };
}

/** The body when the status is the expected one; otherwise an error that shows what the API said. */
export function expectStatus<T>(result: HttpResult<T>, status: number, what: string): T {
  if (result.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body;
}

/** Polls a URL until it answers 2xx (a /readyz endpoint). */
export async function isOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
