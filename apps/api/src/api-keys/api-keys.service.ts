import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiKey, PrismaClient } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';
import { audit } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { AppError } from '../core/app-error';
import { type Page, type PageQuery, pageArgs, toPage } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import { roleAtMost } from '../members/role-rules';
import type { ApiKeyView, CreateApiKeyBody } from './api-keys.dto';

/** "shk_" and 8 characters (48 bits): enough to tell keys apart in a list, far too little to use. */
const PREFIX_LENGTH = 12;

@Injectable()
export class ApiKeysService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** 256 random bits, shown once; stored as a digest like SMTP passwords (nothing to brute-force, so no KDF). */
  async create(context: TenantContext, body: CreateApiKeyBody): Promise<ApiKeyView & { key: string }> {
    if (!roleAtMost(body.role, context.role)) throw new AppError('forbidden', `a ${context.role} cannot create a ${body.role} key`);
    const key = `shk_${randomBytes(32).toString('base64url')}`;
    const createdById = await this.personBehind(context);
    const apiKey = await this.prisma.$transaction(async (tx) => {
      const created = await tx.apiKey.create({
        data: {
          tenantId: context.tenantId,
          name: body.name,
          role: body.role,
          prefix: key.slice(0, PREFIX_LENGTH),
          digest: secretDigest(key),
          expiresAt: body.expiresAt ?? null,
          createdById,
        },
      });
      await audit(tx, context, 'apiKey.created', { type: 'apiKey', id: created.id }, { name: body.name, role: body.role });
      return created;
    });
    return { ...view(apiKey), key };
  }

  async list(context: TenantContext, query: PageQuery): Promise<Page<ApiKeyView>> {
    const rows = await this.prisma.apiKey.findMany(pageArgs(query, { tenantId: context.tenantId }));
    return toPage(rows.map(view), query);
  }

  /** Takes effect on the next request: the guard reads the key row every time. */
  async revoke(context: TenantContext, id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const key = await tx.apiKey.findFirst({ where: { id, tenantId: context.tenantId } });
      if (!key) throw AppError.notFound('API key');
      if (key.revokedAt) return;
      await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      await audit(tx, context, 'apiKey.revoked', { type: 'apiKey', id }, { name: key.name });
    });
  }

  /** The person accountable for a new key: the user, or for a key made with a key, that key's creator. */
  private async personBehind(context: TenantContext): Promise<string | null> {
    if (context.actor.kind === 'user') return context.actor.userId;
    const parent = await this.prisma.apiKey.findUnique({ where: { id: context.actor.apiKeyId }, select: { createdById: true } });
    return parent?.createdById ?? null;
  }
}

function view(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    createdById: key.createdById,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
