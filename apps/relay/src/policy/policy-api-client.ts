import { parsePolicyDelta, readPolicySnapshot, type PolicyDelta, type PolicyIndex } from '@smarthost/relay-policy';
import type { CredentialUse } from './credential-usage';

export type ChangesResult =
  | { kind: 'delta'; delta: PolicyDelta }
  | { kind: 'unchanged' }
  /** 410: the API no longer has changes since that version; pull a full snapshot. */
  | { kind: 'gone' };

export interface HeartbeatBody {
  version: string;
  publicIps: string[];
  policyVersion: number | null;
  queueDepth: number | null;
  credentialUses: CredentialUse[];
}

export class PolicyApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PolicyApiError';
  }
}

/** The relay side of the API's `/v1/relay/*` routes, authenticated with the node token. */
export class PolicyApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly nodeToken: string,
  ) {}

  /**
   * The full policy, read as it streams in and validated entity by entity straight into a PolicyIndex: the response
   * text, the parsed document and a validated copy of it (130 MB, then several times that in objects, for 300,000
   * credentials) are never held at once. An incomplete or invalid body throws; nothing is half-loaded.
   */
  async snapshot(signal: AbortSignal): Promise<PolicyIndex> {
    const response = await this.request('/v1/relay/policy', { signal, timeoutMs: 30_000 });
    if (response.status !== 200) throw await statusError('policy snapshot', response);
    if (response.body === null) throw new PolicyApiError('policy snapshot: empty body', response.status);
    // A refused document stops the read: leaving the for-await cancels the body stream.
    return readPolicySnapshot(response.body);
  }

  async changes(since: number, waitSeconds: number, signal: AbortSignal): Promise<ChangesResult> {
    const path = `/v1/relay/policy/changes?since=${since}&wait=${waitSeconds}`;
    const response = await this.request(path, { signal, timeoutMs: (waitSeconds + 10) * 1000 });
    if (response.status === 204) return { kind: 'unchanged' };
    if (response.status === 410) {
      await response.body?.cancel();
      return { kind: 'gone' };
    }
    if (response.status !== 200) throw await statusError('policy changes', response);
    return { kind: 'delta', delta: parsePolicyDelta(await response.json()) };
  }

  async heartbeat(body: HeartbeatBody, signal: AbortSignal): Promise<void> {
    const response = await this.request('/v1/relay/heartbeat', {
      signal,
      timeoutMs: 10_000,
      method: 'POST',
      body: JSON.stringify(body),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new PolicyApiError('heartbeat refused', response.status);
  }

  private request(
    path: string,
    options: { signal: AbortSignal; timeoutMs: number; method?: string; body?: string },
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.nodeToken}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(new URL(path, this.baseUrl), {
      method: options.method ?? 'GET',
      headers,
      body: options.body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
    });
  }
}

async function statusError(what: string, response: Response): Promise<PolicyApiError> {
  await response.body?.cancel();
  return new PolicyApiError(`${what}: HTTP ${response.status}`, response.status);
}
