import type { PrismaClient } from '@smarthost/db';
import { hashPassword } from '../auth/passwords';
import { TenantsService } from '../tenants/tenants.service';

export const DEMO_EMAIL = 'demo@smarthost.local';
export const DEMO_TENANT_NAME = 'Demo';

export interface DemoSeed {
  userId: string;
  tenantId: string;
}

/**
 * The demo account: user demo@smarthost.local, owner of tenant "Demo". Idempotent; a second run only resets the
 * password to the one given, so the printed password always works.
 */
export async function seedDemo(prisma: PrismaClient, password: string): Promise<DemoSeed> {
  const passwordHash = await hashPassword(password);
  const user = await prisma.user.upsert({
    where: { email: DEMO_EMAIL },
    create: { email: DEMO_EMAIL, name: 'Demo User', passwordHash },
    update: { passwordHash },
  });
  // Found through the demo user's membership, not by slug: a customer may have signed up a tenant called "Demo".
  const existing = await prisma.membership.findFirst({ where: { userId: user.id, tenant: { name: DEMO_TENANT_NAME } } });
  if (existing) return { userId: user.id, tenantId: existing.tenantId };
  const tenants = new TenantsService(prisma);
  const slug = await tenants.freeSlug(DEMO_TENANT_NAME);
  const tenant = await prisma.$transaction((tx) => tenants.createWithOwner(tx, DEMO_TENANT_NAME, slug, user.id));
  return { userId: user.id, tenantId: tenant.id };
}
