import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer A } ? Json<A> : R extends { 201: infer B } ? Json<B> : never
  : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Me = Ok<'/v1/auth/me', 'get'>;
export type Session = Ok<'/v1/auth/login', 'post'>;
export type MyTenant = Me['tenants'][number];
export type Role = MyTenant['role'];
export type TenantView = Ok<'/v1/tenant', 'get'>;
export type StatsSeries = Ok<'/v1/stats', 'get'>;
export type DomainSummary = Ok<'/v1/domains', 'get'>['items'][number];
export type DomainView = Ok<'/v1/domains/{id}', 'get'>;
export type DnsRecord = DomainView['records'][number];
export type DkimKey = DomainView['dkimKeys'][number];
export type Credential = Ok<'/v1/credentials/{id}', 'get'>;
export type CredentialWithSecret = Ok<'/v1/credentials', 'post'>;
export type SmtpSettingsView = Ok<'/v1/smtp-settings', 'get'>;
export type RejectionPage = Ok<'/v1/rejections', 'get'>;
export type Rejection = RejectionPage['items'][number];
export type RejectionQuery = NonNullable<paths['/v1/rejections']['get']['parameters']['query']>;
export type RejectionReasons = Ok<'/v1/rejections/reasons', 'get'>;
export type CredentialBody = Body<'/v1/credentials', 'post'>;
export type MessageSummary = Ok<'/v1/messages', 'get'>['items'][number];
export type MessageDetail = Ok<'/v1/messages/{id}', 'get'>;
export type MessageQuery = NonNullable<paths['/v1/messages']['get']['parameters']['query']>;
export type Suppression = Ok<'/v1/suppressions/{id}', 'get'>;
export type InboundRoute = Ok<'/v1/inbound-routes/{id}', 'get'>;
export type ApiKey = Ok<'/v1/api-keys', 'get'>['items'][number];
export type CreatedApiKey = Ok<'/v1/api-keys', 'post'>;
export type Member = Ok<'/v1/members', 'get'>['items'][number];
export type Invitation = Ok<'/v1/invitations', 'get'>['items'][number];
export type CreatedInvitation = Ok<'/v1/invitations', 'post'>;
export type BillingView = Ok<'/v1/billing', 'get'>;
export type BillingPlan = BillingView['plans'][number];
export type Subscription = NonNullable<BillingView['subscription']>;
