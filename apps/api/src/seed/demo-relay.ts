import type { PrismaClient } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';
import type { DkimKeyring } from '../dkim/dkim-crypto';
import { dkimKeyRow, generateDkimKey } from '../dkim/dkim-keys';
import { baseRecords, dkimRecord } from '../domains/dns-records';
import { recordPolicyChanges } from '../policy/policy-changes';

export const DEMO_DOMAIN = 'demo.smarthost.local';
export const DEMO_SMTP_USERNAME = 'smtp_demo';
export const DEMO_NODE_NAME = 'demo-node';

export interface DemoRelaySecrets {
  smtpPassword: string;
  nodeToken: string;
  relayHostname: string;
  keyring: DkimKeyring;
}

/**
 * What the local demo needs to relay at once: a sending domain with an active DKIM key, an SMTP credential and a
 * registered relay node. The demo domain lives under `.local`; the demo command serves its records from a DNS server
 * on loopback, through which the API re-verifies it. Idempotent: a second run only refreshes the secrets' digests.
 */
export async function seedDemoRelay(prisma: PrismaClient, tenantId: string, secrets: DemoRelaySecrets): Promise<void> {
  await prisma.$transaction(async (tx) => {
    let domain = await tx.domain.findUnique({ where: { tenantId_name: { tenantId, name: DEMO_DOMAIN } } });
    if (!domain) {
      const now = new Date();
      domain = await tx.domain.create({
        data: { tenantId, name: DEMO_DOMAIN, verifiedName: DEMO_DOMAIN, status: 'verified', verifiedAt: now, verificationToken: 'demo' },
      });
      const key = await generateDkimKey(now);
      await tx.dkimKey.create({ data: { ...dkimKeyRow(secrets.keyring, key, { tenantId, domainId: domain.id }), status: 'active', activatedAt: now } });
      const records = [...baseRecords(domain, secrets.relayHostname), dkimRecord(DEMO_DOMAIN, key)];
      await tx.domainDnsRecord.createMany({
        data: records.map((record) => ({ ...record, domainId: domain!.id })),
      });
    }
    else if (domain.status !== 'verified') {
      // A re-run after the domain lost verification (e.g. the demo ran without its DNS) restores the demo state;
      // the API's scheduled re-check confirms it through the demo DNS server.
      domain = await tx.domain.update({ where: { id: domain.id }, data: { status: 'verified', verifiedName: DEMO_DOMAIN, verifiedAt: new Date() } });
    }
    const credential = await tx.smtpCredential.upsert({
      where: { username: DEMO_SMTP_USERNAME },
      create: { tenantId, name: 'Demo credential', username: DEMO_SMTP_USERNAME, secretDigest: secretDigest(secrets.smtpPassword) },
      update: { secretDigest: secretDigest(secrets.smtpPassword), status: 'active' },
    });
    await tx.relayNode.upsert({
      where: { name: DEMO_NODE_NAME },
      create: { name: DEMO_NODE_NAME, tokenDigest: secretDigest(secrets.nodeToken) },
      update: { tokenDigest: secretDigest(secrets.nodeToken), status: 'active' },
    });
    await recordPolicyChanges(tx, [
      { tenantId, entity: 'tenant', entityId: tenantId, op: 'upsert' },
      { tenantId, entity: 'domain', entityId: domain.id, op: 'upsert' },
      { tenantId, entity: 'credential', entityId: credential.id, op: 'upsert' },
    ]);
  });
}
