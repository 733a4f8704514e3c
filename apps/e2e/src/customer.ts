import { randomUUID } from 'node:crypto';
import type { TestDnsServer } from '@smarthost/testkit';
import { expectStatus, httpClient, type HttpCall } from './support/http';
import type { Stack } from './stack';

/** The fields of the API's responses these tests read (the API's own types stay in apps/api). */
export interface DnsRecord {
  kind: string;
  host: string;
  type: 'TXT' | 'CNAME' | 'MX';
  value: string;
}

export interface DomainView {
  id: string;
  name: string;
  status: 'pending' | 'verified' | 'failed';
  records: DnsRecord[];
  dkimKeys: { selector: string; status: string }[];
}

export interface SmtpCredential {
  id: string;
  username: string;
  password: string;
}

export interface Customer {
  tenantId: string;
  /** The tenant's API with an admin API key, as an integration would call it. */
  api: HttpCall;
  domain: DomainView;
  /** An address at the verified domain. */
  sender: string;
  createCredential(name: string): Promise<SmtpCredential>;
}

/**
 * A customer onboarded through the public API only: sign up, create an API key, add the sending domain, publish
 * the records the API asks for on the stack's DNS server, verify (which activates the DKIM key), and from there
 * create SMTP credentials.
 */
export async function onboardCustomer(stack: Stack, domainName: string): Promise<Customer> {
  const anonymous = httpClient(stack.apiUrl);
  const signup = await anonymous<{ csrfToken: string; tenants: { id: string }[] }>('POST', '/v1/auth/signup', {
    email: `owner-${randomUUID().slice(0, 8)}@${domainName}`,
    password: 'correct horse battery staple',
    name: 'E2E Owner',
    tenantName: `E2E ${domainName}`,
  });
  const session = expectStatus(signup, 201, 'sign up');
  const tenantId = session.tenants[0]?.id;
  if (!tenantId) throw new Error('sign-up returned no tenant');
  const cookie = signup.headers.getSetCookie().find((line) => line.startsWith('sh_session='))?.split(';')[0];
  if (!cookie) throw new Error('sign-up set no session cookie');
  const dashboard = httpClient(stack.apiUrl, { cookie, 'x-csrf-token': session.csrfToken, 'x-tenant-id': tenantId });
  const apiKey = expectStatus(
    await dashboard<{ key: string }>('POST', '/v1/api-keys', { name: 'e2e', role: 'admin' }),
    201,
    'create API key',
  );
  const api = httpClient(stack.apiUrl, { authorization: `Bearer ${apiKey.key}` });

  const added = expectStatus(await api<DomainView>('POST', '/v1/domains', { name: domainName }), 201, 'add domain');
  publishRecords(stack.dns, added);
  const domain = expectStatus(await api<DomainView>('POST', `/v1/domains/${added.id}/verify`, undefined), 200, 'verify domain');
  if (domain.status !== 'verified' || !domain.dkimKeys.some((key) => key.status === 'active')) {
    throw new Error(`domain not verified with an active DKIM key: ${JSON.stringify(domain)}`);
  }
  return {
    tenantId,
    api,
    domain,
    sender: `app@${domainName}`,
    createCredential: async (name) => {
      const credential = expectStatus(await api<SmtpCredential>('POST', '/v1/credentials', { name, allDomains: true }), 201, `create credential ${name}`);
      // Usable once the nodes have it: a submission made before would get 535, as a real one would.
      await stack.policySettled();
      return credential;
    },
  };
}

/** Publishes the domain's records as the customer would paste them into their zone. */
export function publishRecords(dns: TestDnsServer, domain: DomainView): void {
  for (const record of domain.records) {
    if (record.type === 'TXT') dns.set(record.host, 'TXT', [record.value]);
    if (record.type === 'CNAME') dns.set(record.host, 'CNAME', [record.value]);
    if (record.type === 'MX') dns.set(record.host, 'MX', [{ exchange: record.value, priority: 10 }]);
  }
}
