import type { DnsResolver } from '@smarthost/dns';
import type { Logger } from '@smarthost/logger';
import { deliveryJobSchema, messageBytes, QUEUE_NAMES, type DeliveryJob } from '@smarthost/queues';
import { returnPathFor, srsForward, type ReturnPathKeyring, type SrsKey } from '@smarthost/relay-policy';
import { DelayedError, type Job } from 'bullmq';
import { bounceNoticeJob, wantsBounceNotice, type BounceNoticeQueue } from './bounce-notice';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { HostPort } from './delivery-config';
import type { InboundMeter } from '../limits/inbound-meter';
import type { EventWriter } from '../events/event-writer';
import { deliveryEvent } from './delivery-events';
import { backoffDelay, nextAttemptAt, readState, type BackoffPolicy, type DeliveryState } from './delivery-state';
import { deliverGroup } from './deliver-group';
import { groupRecipients, type RecipientGroup } from './destinations';
import type { DkimKeyProvider } from './dkim-keys';
import { signMessage } from './dkim-sign';
import { expire, failure, type RecipientOutcome } from './recipient-outcome';
import type { SmtpPool } from './smtp-pool';
import { everyone, type Outcomes } from './smtp-transaction';

export interface ProcessorDeps {
  resolver: DnsResolver;
  pool: SmtpPool;
  mxPort: number;
  /** Routes and MX hosts may resolve to loopback (tests only: NODE_ENV=test, as in the API). */
  allowLoopbackTargets: boolean;
  /** This relay's own addresses, never delivered to (mail loop). */
  ownAddresses(): Promise<ReadonlySet<string>>;
  /** Takes a finished inbound message off its tenant's backlog. */
  inboundBacklog: Pick<InboundMeter, 'release'>;
  relayhost: HostPort | null;
  /** Signs each group's return path (the same keys on every node that takes the reports). */
  returnPathKeys: ReturnPathKeyring;
  dkim: DkimKeyProvider;
  /**
   * Awaited: a recipient is recorded as done only after its event is stored, so a crash in between replays the
   * attempt and re-emits the same ids instead of losing one.
   */
  events: EventWriter;
  deadLetters: DeadLetterQueue;
  notices: BounceNoticeQueue;
  /** The key forwarded mail's SRS envelope sender is made with. */
  srs: SrsKey;
  /** This worker's node name (RELAY_HOSTNAME), on every event and in bounce notices. */
  node: string;
  maxAgeMs: number;
  /** Inbound mail's lifetime (INBOUND_MAX_AGE_SECONDS): forwarded mail gives up sooner than outbound. */
  inboundMaxAgeMs: number;
  backoff: BackoffPolicy;
  poisonAttempts: number;
  logger: Logger;
  now?: () => number;
}

export type ProcessResult = 'complete' | 'dead-lettered';

/**
 * The delivery queue's processor. Every recipient ends delivered or bounced, each change is an event, and a
 * message that cannot be processed at all is dead-lettered with its reason instead of being retried forever.
 */
export function createDeliveryProcessor(deps: ProcessorDeps): (job: Job<unknown>, token?: string) => Promise<ProcessResult> {
  const now = deps.now ?? Date.now;
  return async (job, token) => {
    const parsed = deliveryJobSchema.safeParse(job.data);
    const state = readState(job.data);
    const invalid = !parsed.success ? describeIssues(parsed.error.issues) : !state ? 'invalid delivery state' : missingRoutes(parsed.data);
    if (invalid || !parsed.success || !state) {
      await deadLetter(deps, job, `invalid payload: ${invalid}`, state?.attempts ?? 0);
      await releaseInbound(deps, job.data);
      return 'dead-lettered';
    }
    const log = deps.logger.child({ messageId: parsed.data.messageId, tenantId: parsed.data.tenantId, attempt: state.attempts + 1 });
    let result: ProcessResult;
    try {
      result = await runAttempt(deps, job, token, parsed.data, state, log, now);
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      result = await onUnexpected(deps, job, token, state, error, log, now);
    }
    await releaseInbound(deps, job.data);
    return result;
  };
}

/**
 * A job that needs no more delivery leaves its tenant's inbound backlog before BullMQ marks it done: a worker that
 * dies in between replays it and releases again, which changes nothing (see InboundMeter). Also for a payload
 * that failed validation, as far as it names its ledger entry.
 */
export async function releaseInbound(deps: Pick<ProcessorDeps, 'inboundBacklog'>, data: unknown): Promise<void> {
  const job = data as Partial<Record<'direction' | 'tenantId' | 'messageId' | 'size', unknown>> | null;
  if (job?.direction !== 'inbound' || typeof job.tenantId !== 'string' || typeof job.messageId !== 'string' || typeof job.size !== 'number') return;
  await deps.inboundBacklog.release({ tenantId: job.tenantId, messageId: job.messageId, size: job.size });
}

async function runAttempt(
  deps: ProcessorDeps,
  job: Job<unknown>,
  token: string | undefined,
  message: DeliveryJob,
  state: DeliveryState,
  log: Logger,
  now: () => number,
): Promise<ProcessResult> {
  const attempt = state.attempts + 1;
  const pending = message.recipients.filter((recipient) => state.done[recipient.address] === undefined);
  if (pending.length === 0) return 'complete';
  const addresses = pending.map((recipient) => recipient.address);
  const prepared = await prepareMessage(deps, message, log);
  let outcomes: Outcomes;
  let unexpected: unknown;
  if (Buffer.isBuffer(prepared)) {
    ({ outcomes, unexpected } = await deliverAll(deps, message, pending, prepared));
  } else {
    outcomes = everyone(addresses, prepared);
  }
  const deadline = Date.parse(message.receivedAt) + (message.direction === 'inbound' ? deps.inboundMaxAgeMs : deps.maxAgeMs);
  const expired = now() >= deadline;
  const final = new Map([...outcomes].map(([address, outcome]) => [address, expired && outcome.status === 'deferred' ? expire(outcome) : outcome]));

  const occurredAt = new Date(now());
  await deps.events.write([...final].map(([recipient, outcome]) => deliveryEvent({ job: message, recipient, attempt, outcome, node: deps.node, occurredAt })));
  logOutcomes(log, final);
  // Before the state update: a crash in between replays the attempt, and the replay enqueues the same notice
  // (deduplicated) rather than none.
  await queueBounceNotice(deps, message, final, attempt, occurredAt, log);

  const next: DeliveryState = { attempts: attempt, failures: unexpected ? state.failures + 1 : 0, done: { ...state.done } };
  for (const [address, outcome] of final) if (outcome.status !== 'deferred') next.done[address] = outcome.status;
  if (unexpected) return afterUnexpected(deps, job, token, next, unexpected, log, now);
  if (!addresses.some((address) => next.done[address] === undefined)) return 'complete';
  return reschedule(job, token, next, nextAttemptAt(now(), attempt, deadline, deps.backoff));
}

/** One notice per attempt to the sender, listing the recipients that bounced in it (see bounce-notice.ts). */
async function queueBounceNotice(deps: ProcessorDeps, message: DeliveryJob, final: Outcomes, attempt: number, now: Date, log: Logger): Promise<void> {
  if (!wantsBounceNotice(message)) return;
  const bounced = [...final].filter(([, outcome]) => outcome.status === 'bounced');
  if (bounced.length === 0) return;
  const notice = await bounceNoticeJob(message, bounced, { attempt, hostname: deps.node, now });
  await deps.notices.enqueue(notice);
  log.info({ noticeId: notice.messageId, bounced: bounced.length }, 'bounce notice queued');
}

/** Signs outbound mail; returns the outcome for everyone instead when the key cannot be had (retried later). */
async function prepareMessage(deps: ProcessorDeps, message: DeliveryJob, log: Logger): Promise<Buffer | RecipientOutcome> {
  const raw = messageBytes(message);
  // Forwarded inbound mail and returned bounces keep the original signatures (and inbound mail our ARC seal) and are
  // not re-signed (not our customer's mail). Our own bounce notices (outbound, null sender) are not signed with the
  // tenant's key: see bounce-notice.ts.
  if (message.direction !== 'outbound' || message.mailFrom === '') return raw;
  try {
    const key = await deps.dkim.keyFor(message.domainId);
    if (!key) {
      log.warn({ domainId: message.domainId }, 'no active DKIM key for the sending domain; delivering unsigned');
      return raw;
    }
    return await signMessage(raw, key);
  } catch (error) {
    log.warn({ err: error, domainId: message.domainId }, 'DKIM signing not possible; deferring');
    // RFC 3463 §3.8: X.7.5 cryptographic failure.
    return failure('deferred', 'dkim_unavailable', 'dkim', error instanceof Error ? error.message : String(error), { enhancedCode: '4.7.5' });
  }
}

/**
 * A customer's outbound mail goes out with the relay's return path (VERP, under the customer's `bounces.` CNAME), so
 * a bounce a remote server sends after accepting the message comes back to the relay and suppresses the address. It
 * is signed for the group's recipient domain: a report through it counts only for recipients there (ADR 0006).
 * Forwarded inbound mail goes out with an SRS sender under our own domain: with the outsider's address it would
 * pass SPF on our IPs, which every tenant's SPF includes. Bounces (ours and returned ones) keep the null sender.
 */
function envelopeSender(message: DeliveryJob, group: RecipientGroup, keys: { returnPathKeys: ReturnPathKeyring; srs: SrsKey }): string {
  if (message.direction === 'inbound') return srsForward(keys.srs, message.mailFrom);
  if (message.direction === 'returned' || message.mailFrom === '' || group.recipientDomain === null) return message.mailFrom;
  const senderDomain = message.mailFrom.slice(message.mailFrom.lastIndexOf('@') + 1);
  return returnPathFor(keys.returnPathKeys, message.messageId, senderDomain, group.recipientDomain);
}

/** Groups run in parallel; one group's unexpected exception does not lose the others' outcomes. */
async function deliverAll(deps: ProcessorDeps, message: DeliveryJob, pending: DeliveryJob['recipients'], raw: Buffer) {
  const groups = groupRecipients(message.direction, pending, deps.relayhost);
  const settled = await Promise.allSettled(groups.map((group) => deliverGroup(group, envelopeSender(message, group, deps), raw, deps)));
  const outcomes: Outcomes = new Map();
  let unexpected: unknown;
  for (const result of settled) {
    if (result.status === 'fulfilled') for (const [address, outcome] of result.value) outcomes.set(address, outcome);
    else unexpected ??= result.reason;
  }
  return { outcomes, unexpected };
}

async function reschedule(job: Job<unknown>, token: string | undefined, state: DeliveryState, at: number): Promise<never> {
  await job.updateData({ ...(job.data as object), delivery: state });
  await job.moveToDelayed(at, token);
  // Tells BullMQ the job was moved on purpose: neither completed nor failed.
  throw new DelayedError();
}

async function afterUnexpected(deps: ProcessorDeps, job: Job<unknown>, token: string | undefined, state: DeliveryState, error: unknown, log: Logger, now: () => number): Promise<ProcessResult> {
  log.error({ err: error, failures: state.failures }, 'delivery failed unexpectedly');
  if (state.failures >= deps.poisonAttempts) {
    await job.updateData({ ...(job.data as object), delivery: state });
    await deadLetter(deps, job, `failed unexpectedly ${state.failures} times: ${describeError(error)}`, state.attempts);
    return 'dead-lettered';
  }
  return reschedule(job, token, state, now() + backoffDelay(state.failures, deps.backoff));
}

function onUnexpected(deps: ProcessorDeps, job: Job<unknown>, token: string | undefined, state: DeliveryState, error: unknown, log: Logger, now: () => number) {
  return afterUnexpected(deps, job, token, { ...state, failures: state.failures + 1 }, error, log, now);
}

async function deadLetter(deps: ProcessorDeps, job: Job<unknown>, reason: string, attempts: number): Promise<void> {
  deps.logger.error({ jobId: job.id, reason }, 'delivery job dead-lettered');
  await deps.deadLetters.add({ sourceQueue: QUEUE_NAMES.delivery, sourceJobId: String(job.id), reason, attempts, payload: job.data });
}

function missingRoutes(message: DeliveryJob): string | undefined {
  if (message.direction !== 'inbound') return undefined;
  const missing = message.recipients.filter((recipient) => !recipient.target).map((recipient) => recipient.address);
  return missing.length > 0 ? `inbound recipients without a route target: ${missing.join(', ')}` : undefined;
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function logOutcomes(log: Logger, outcomes: Outcomes): void {
  for (const [recipient, outcome] of outcomes) {
    const fields = { recipient, status: outcome.status, code: outcome.code, smtpCode: outcome.smtpCode, enhancedCode: outcome.enhancedCode, remoteMta: outcome.remoteMta };
    if (outcome.status === 'delivered') log.info(fields, 'delivered');
    else log.warn({ ...fields, response: outcome.response }, outcome.status);
  }
}
