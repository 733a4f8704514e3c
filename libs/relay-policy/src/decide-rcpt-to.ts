import { parseAddress, parseDomain, type EmailAddress } from './address';
import type { DomainPolicy, InboundRoutePolicy, TenantPolicy } from './contract';
import { resolveSubmitter } from './decide-auth';
import type { PolicyIndex } from './policy-index';
import { refuse, type Refusal } from './refusals';
import { verifyReturnPath, type ReturnPath, type ReturnPathKeyring } from './return-path';
import { srsReverse, type SrsKey } from './srs';
import type { InboundSession, RelaySession, SubmissionSession } from './session';
import { tenantStatusRefusal } from './tenant-status';

export interface RcptToOptions {
  /** The relay's own host names (HELO name, MX names). Mail addressed to them is never accepted. */
  ownHostnames: readonly string[];
  /** Recipients already accepted in this transaction, for the tenant's recipientsPerMessage limit. */
  acceptedRecipients?: number;
  /** Port 25: recipients one transaction may have (RFC 5321 §4.5.3.1.8: at least 100); none when absent. */
  maxInboundRecipients?: number;
  /** The feedback-loop address (normalised) where complaints are taken on port 25; none when absent. */
  feedbackAddress?: string;
  /** The keys return paths are signed with (VERP MAC). */
  returnPathKeys: ReturnPathKeyring;
  /** Epoch ms, for the previous key's overlap; Date.now() when absent. */
  now?: number;
  /** The key SRS return addresses are made and checked with; none: no SRS address is taken. */
  srs?: SrsKey;
  /** Whether this transaction has the null reverse-path (MAIL FROM:<>), as every bounce does. */
  nullSender?: boolean;
}

export type RcptToDecision =
  | { ok: true; channel: 'submission'; recipient: EmailAddress; tenant: TenantPolicy }
  | {
      ok: true;
      channel: 'inbound';
      recipient: EmailAddress;
      tenant: TenantPolicy;
      domain: DomainPolicy;
      /** Always a 'forward' route: where to deliver this recipient. */
      route: Extract<InboundRoutePolicy, { action: 'forward' }>;
    }
  | {
      ok: true;
      /** A delivery report (bounce) for a message the relay sent, at the return path it sent it with. */
      channel: 'report';
      recipient: EmailAddress;
      tenant: TenantPolicy;
      domain: DomainPolicy;
      messageId: string;
      /** The verified return path: which destination the report may speak for. */
      returnPath: ReturnPath;
    }
  | {
      ok: true;
      /** A complaint report (ARF) to the feedback-loop address; whose message it is shows only in the report. */
      channel: 'feedback';
      recipient: EmailAddress;
    }
  | {
      ok: true;
      /** A bounce to the SRS sender of a message we forwarded: it goes back to the original sender. */
      channel: 'returned';
      /** The SRS address at our SRS domain (its local part may exceed RFC 5321's 64 octets, as SRS ones do). */
      recipient: EmailAddress;
      originalSender: string;
    }
  | Refusal;

/** RCPT TO. `address` is the bare forward-path as smtp-server gives it. */
export function decideRcptTo(
  index: PolicyIndex,
  session: RelaySession,
  address: string,
  options: RcptToOptions,
): RcptToDecision {
  if (session.channel === 'inbound') return inboundRecipient(index, session, address, options);
  return submissionRecipient(index, session, address, options);
}

function submissionRecipient(
  index: PolicyIndex,
  session: SubmissionSession,
  address: string,
  options: RcptToOptions,
): RcptToDecision {
  const submitter = resolveSubmitter(index, session);
  if (!submitter.ok) return submitter;
  const { tenant } = submitter;
  const status = tenantStatusRefusal(tenant);
  if (status !== null) return status;
  const parsed = parseAddress(address);
  if (!parsed.ok) return refuse('bad_address_syntax', parsed.reason);
  const recipient = parsed.address;
  // Mail to the relay's own names would loop back to port 25, where it is refused anyway.
  if (isOwnHostname(recipient.domain, options.ownHostnames)) return refuse('relay_denied');
  if ((options.acceptedRecipients ?? 0) >= tenant.limits.recipientsPerMessage) return refuse('too_many_recipients');
  if (index.isSuppressed(tenant.id, recipient.normalized)) return refuse('suppressed');
  return { ok: true, channel: 'submission', recipient, tenant };
}

/**
 * Port 25 accepts only what the relay is responsible for: a recipient of a verified, inbound-enabled customer
 * domain with a forward route. Everything it cannot read — '%' hacks, bang paths, source routes, quoted local
 * parts, IP literals — is "not ours" and refused as relaying, never as a syntax error that invites retries.
 */
function inboundRecipient(
  index: PolicyIndex,
  _session: InboundSession,
  address: string,
  options: RcptToOptions,
): RcptToDecision {
  // Before the address is parsed: SRS local parts are longer than RFC 5321's 64 octets, as in every SRS forwarder.
  const returned = options.srs === undefined ? null : srsRecipient(options.srs, address, options.nullSender === true);
  if (returned !== null) return returned;
  // RFC 5321 §4.5.3.1.10: 452 makes the client send the remaining recipients in a later transaction.
  if (options.maxInboundRecipients !== undefined && (options.acceptedRecipients ?? 0) >= options.maxInboundRecipients) {
    return refuse('too_many_recipients');
  }
  const parsed = parseAddress(address);
  if (!parsed.ok) return refuse('relay_denied');
  const recipient = parsed.address;
  // The one address at the relay's own names that takes mail: checked before those names are refused.
  if (options.feedbackAddress !== undefined && recipient.normalized === options.feedbackAddress) return { ok: true, channel: 'feedback', recipient };
  if (isOwnHostname(recipient.domain, options.ownHostnames)) return refuse('relay_denied');
  const report = resolveReturnPath(index, recipient, options.returnPathKeys, options.now ?? Date.now());
  if (report !== null) return report.ok ? { ok: true, channel: 'report', recipient, ...report.sent } : report;
  const owners = index.domainsNamed(recipient.domain).filter((d) => d.verified && d.inboundEnabled);
  // Two tenants with the same verified name is a policy fault; never guess whose mail it is.
  const domain = owners.length === 1 ? owners[0] : undefined;
  const tenant = domain === undefined ? undefined : index.tenant(domain.tenantId);
  if (domain === undefined || tenant === undefined) return refuse('relay_denied');
  const status = tenantStatusRefusal(tenant, false);
  if (status !== null) return status;
  const route = index.inboundRoute(domain.id, recipient.local);
  // We serve this domain, so an unrouted or rejected local part is an unknown user, as in Postfix's
  // relay_recipient_maps, rather than a relaying attempt.
  if (route === undefined || route.tenantId !== tenant.id || route.action === 'reject') {
    return refuse('recipient_unknown');
  }
  return { ok: true, channel: 'inbound', recipient, tenant, domain, route };
}

/**
 * An SRS address at the relay's SRS domain: a valid, unexpired one takes bounces for the original sender, any
 * other one is refused (a forged or stale address must not turn the relay into a bounce reflector). null: not one.
 */
function srsRecipient(key: SrsKey, address: string, nullSender: boolean): RcptToDecision | null {
  const reversed = srsReverse(key, address);
  if (!reversed.ok && reversed.reason === 'not_srs') return null;
  if (!reversed.ok) return refuse('srs_invalid', reversed.reason === 'expired' ? 'expired' : undefined);
  const original = parseAddress(reversed.original);
  if (!original.ok) return refuse('srs_invalid');
  if (!nullSender) return refuse('srs_not_bounce');
  const local = address.slice(0, address.lastIndexOf('@'));
  const recipient = { local, domain: key.domain, normalized: `${local.toLowerCase()}@${key.domain}`, wire: `${local}@${key.domain}` };
  return { ok: true, channel: 'returned', recipient, originalSender: original.address.wire };
}

/**
 * The sent message a return-path address stands for. Bounces come back whatever the tenant's status or inbound
 * setting, since they are about mail already sent. null: not a return path at all. Refused: a return path under a
 * domain that is not verified for exactly one tenant, which the relay is not responsible for (relay_denied), or one
 * whose MAC does not verify, so a message the relay never sent (report_unknown, before any DATA is read).
 */
export function resolveReturnPath(
  index: PolicyIndex,
  address: EmailAddress,
  keys: ReturnPathKeyring,
  now: number,
): { ok: true; sent: { messageId: string; tenant: TenantPolicy; domain: DomainPolicy; returnPath: ReturnPath } } | Refusal | null {
  const verified = verifyReturnPath(keys, address, now);
  if (verified.kind === 'other') return null;
  const senderDomain = address.domain.slice(address.domain.indexOf('.') + 1);
  const owners = index.domainsNamed(senderDomain).filter((d) => d.verified);
  const domain = owners.length === 1 ? owners[0] : undefined;
  const tenant = domain === undefined ? undefined : index.tenant(domain.tenantId);
  if (domain === undefined || tenant === undefined) return refuse('relay_denied');
  if (verified.kind === 'forged') return refuse('report_unknown');
  const { returnPath } = verified;
  return { ok: true, sent: { messageId: returnPath.messageId, tenant, domain, returnPath } };
}

function isOwnHostname(domain: string, ownHostnames: readonly string[]): boolean {
  return ownHostnames.some((name) => {
    const own = parseDomain(name);
    return own.ok ? own.domain === domain : name.toLowerCase() === domain;
  });
}
