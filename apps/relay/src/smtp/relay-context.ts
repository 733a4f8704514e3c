import type { Logger } from '@smarthost/logger';
import type { ReturnPathKeyring } from '@smarthost/relay-policy';
import type { SrsKey } from '@smarthost/relay-policy';
import type { InboundAuthOptions } from '../inbound-auth/authenticate-message';
import type { EventSink } from '../events/event-sink';
import type { AuthLimiter } from '../limits/auth-limiter';
import type { InboundMeter } from '../limits/inbound-meter';
import type { QuotaCounter } from '../limits/quota';
import type { CredentialUsage } from '../policy/credential-usage';
import type { PolicyStore } from '../policy/policy-store';
import type { ProviderSignatureCheck } from '../reports/provider-signature';
import type { MessageStore } from '../queue/message-store';
import type { ConnectionState } from './session-state';

export interface RelayLimits {
  /** Port 25: accepted recipients per transaction. */
  inboundMaxRecipients: number;
  /** More Received headers than this in a message is a loop (RFC 5321 §6.3). */
  maxReceivedHeaders: number;
}

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
  /** SPF/DKIM/DMARC/ARC checks and the ARC seal of port-25 mail. */
  inboundAuth: InboundAuthOptions;
  /** The key SRS return addresses are checked with (the workers make them with the same). */
  srs: SrsKey;
  logger: Logger;
  policy: PolicyStore;
  quota: QuotaCounter;
  inboundMeter: InboundMeter;
  authLimiter: AuthLimiter;
  credentialUsage: CredentialUsage;
  limits: RelayLimits;
  messages: MessageStore;
  events: EventSink;
  connections: Map<string, ConnectionState>;
}
