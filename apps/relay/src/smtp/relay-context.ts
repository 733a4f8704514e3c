import type { Logger } from '@smarthost/logger';
import type { ReturnPathKeyring } from '@smarthost/relay-policy';
import type { EventSink } from '../events/event-sink';
import type { AuthLimiter } from '../limits/auth-limiter';
import type { QuotaCounter } from '../limits/quota';
import type { PolicyStore } from '../policy/policy-store';
import type { ProviderSignatureCheck } from '../reports/provider-signature';
import type { MessageStore } from '../queue/message-store';
import type { ConnectionState } from './session-state';

/** How bounces and complaints are told from forgeries (ADR 0006). */
export interface ReportSettings {
  returnPathKeys: ReturnPathKeyring;
  /** Larger reports are refused 552 5.3.4. */
  maxBytes: number;
  /** Who may sign a complaint that counts. */
  signature: ProviderSignatureCheck;
}

/** Everything the SMTP phase handlers need, built once by startRelay and passed in (no globals). */
export interface RelayContext {
  hostname: string;
  /** The feedback-loop address (normalised) this node takes complaints at. */
  feedbackAddress: string;
  reports: ReportSettings;
  logger: Logger;
  policy: PolicyStore;
  quota: QuotaCounter;
  authLimiter: AuthLimiter;
  messages: MessageStore;
  events: EventSink;
  connections: Map<string, ConnectionState>;
}
