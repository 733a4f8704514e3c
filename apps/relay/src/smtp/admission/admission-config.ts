import { z } from 'zod';
import type { RelayConfig } from '../../config/relay-config';

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The edge limits of every listener (README "Limits at the edge"); merged into the relay's config schema. */
export const admissionConfigSchema = z.object({
  /** Clients are grouped by network: one address per IPv4 /32, one site per IPv6 /64 (RFC 6177). */
  CLIENT_IPV4_PREFIX: z.coerce.number().int().min(8).max(32).default(32),
  CLIENT_IPV6_PREFIX: z.coerce.number().int().min(16).max(128).default(64),
  /** Open sessions one client group may hold on one listener (Postfix smtpd_client_connection_count_limit). */
  CLIENT_MAX_CONNECTIONS: count(50, 100_000),
  /** New connections one client group may open per minute on one listener. */
  CLIENT_MAX_CONNECTIONS_PER_MINUTE: count(300, 1_000_000),
  /** Share of MAX_CLIENTS that sessions without AUTH may fill on 587/465: the rest stays for authenticated ones. */
  UNAUTHENTICATED_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  /** A session without AUTH (every session on port 25) that sends nothing this long is cut. */
  UNAUTHENTICATED_IDLE_SECONDS: seconds(30),
  /** Port 465: a socket that has not finished the TLS handshake this long after connecting is closed. */
  TLS_HANDSHAKE_SECONDS: seconds(10),
  /** A whole line (command or message) must arrive within this, however it trickles in (Postfix per-record deadline). */
  SMTP_LINE_SECONDS: seconds(30),
  /** DATA must arrive at least this fast, after one SMTP_LINE_SECONDS of grace (Postfix smtpd_min_data_rate). */
  SMTP_DATA_MIN_BYTES_PER_SECOND: count(500, 1_000_000_000),
  /** No session lasts longer; a message being decided at the deadline is answered first. */
  SMTP_SESSION_MAX_SECONDS: seconds(1800),
  /**
   * Protocol errors (500-504, 530: unknown command, bad syntax, bad sequence, AUTH skipped) before AUTH, then the
   * session is cut (Postfix smtpd_hard_error_limit). smtp-server also cuts at 10 unknown commands on its own.
   */
  SMTP_MAX_BAD_COMMANDS: count(10, 1000),
});

export interface AdmissionLimits {
  ipv4Prefix: number;
  ipv6Prefix: number;
  maxClients: number;
  perClient: number;
  perClientPerMinute: number;
  unauthenticatedShare: number;
  unauthenticatedIdleMs: number;
  handshakeMs: number;
  lineMs: number;
  dataMinBytesPerSecond: number;
  sessionMs: number;
  maxBadCommands: number;
}

export function admissionLimits(config: RelayConfig): AdmissionLimits {
  return {
    ipv4Prefix: config.CLIENT_IPV4_PREFIX,
    ipv6Prefix: config.CLIENT_IPV6_PREFIX,
    maxClients: config.MAX_CLIENTS,
    perClient: config.CLIENT_MAX_CONNECTIONS,
    perClientPerMinute: config.CLIENT_MAX_CONNECTIONS_PER_MINUTE,
    unauthenticatedShare: config.UNAUTHENTICATED_SHARE,
    unauthenticatedIdleMs: config.UNAUTHENTICATED_IDLE_SECONDS * 1000,
    handshakeMs: config.TLS_HANDSHAKE_SECONDS * 1000,
    lineMs: config.SMTP_LINE_SECONDS * 1000,
    dataMinBytesPerSecond: config.SMTP_DATA_MIN_BYTES_PER_SECOND,
    sessionMs: config.SMTP_SESSION_MAX_SECONDS * 1000,
    maxBadCommands: config.SMTP_MAX_BAD_COMMANDS,
  };
}
