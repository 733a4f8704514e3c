import type { Logger } from '@smarthost/logger';
import type { EventSink } from '../events/event-sink';
import type { AuthLimiter } from '../limits/auth-limiter';
import type { QuotaCounter } from '../limits/quota';
import type { PolicyStore } from '../policy/policy-store';
import type { MessageStore } from '../queue/message-store';
import type { ConnectionState } from './session-state';

export interface RelayLimits {
  authMaxFailuresPerConnection: number;
}

/** Everything the SMTP phase handlers need, built once by startRelay and passed in (no globals). */
export interface RelayContext {
  hostname: string;
  /** The feedback-loop address (normalised) this node takes complaints at. */
  feedbackAddress: string;
  logger: Logger;
  policy: PolicyStore;
  quota: QuotaCounter;
  authLimiter: AuthLimiter;
  messages: MessageStore;
  events: EventSink;
  limits: RelayLimits;
  connections: Map<string, ConnectionState>;
}
