import { MAX_CREDENTIAL_USES_PER_HEARTBEAT } from '@smarthost/relay-policy';

export interface CredentialUse {
  credentialId: string;
  /** ISO 8601, the node's clock. */
  at: string;
  ip: string;
}

/**
 * When each credential last logged in on this node, for the dashboard's "Last used". The SMTP path only sets a map
 * entry; the heartbeat takes the entries to the API, so each credential costs at most one database write per
 * heartbeat interval however many sessions it opens, and none while a client waits.
 */
export class CredentialUsage {
  private readonly pending = new Map<string, CredentialUse>();

  record(credentialId: string, ip: string, at = new Date()): void {
    this.pending.set(credentialId, { credentialId, at: at.toISOString(), ip });
  }

  take(max = MAX_CREDENTIAL_USES_PER_HEARTBEAT): CredentialUse[] {
    const taken: CredentialUse[] = [];
    for (const use of this.pending.values()) {
      if (taken.length >= max) break;
      taken.push(use);
      this.pending.delete(use.credentialId);
    }
    return taken;
  }

  /** A heartbeat that did not arrive hands its uses back, unless the credential was used again meanwhile. */
  giveBack(uses: readonly CredentialUse[]): void {
    for (const use of uses) if (!this.pending.has(use.credentialId)) this.pending.set(use.credentialId, use);
  }
}
