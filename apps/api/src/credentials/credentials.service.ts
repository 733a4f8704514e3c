import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';
import { audit, type AuditAction } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AppError } from '../core/app-error';
import { type Page, pageArgs, toPage } from '../core/pagination';
import { PRISMA } from '../core/tokens';
import { recordPolicyChange } from '../policy/policy-changes';
import type {
  CreateCredentialBody,
  CredentialView,
  CredentialWithSecret,
  ListCredentialsQuery,
  UpdateCredentialBody,
} from './credential-schemas';
import { smtpSettings } from '../smtp-settings/smtp-settings';
import { assertScopeOwned, requestedScope } from './credential-scope';
import { generatePassword, generateUsername } from './generate-credential';

/** Every column a caller may see; the digest is deliberately absent. */
const VIEW = {
  id: true,
  name: true,
  username: true,
  status: true,
  allDomains: true,
  allowedSenders: true,
  ipAllowlist: true,
  ratePerMinute: true,
  createdAt: true,
  updatedAt: true,
  rotatedAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  domains: { select: { domainId: true }, orderBy: { domainId: 'asc' } },
} satisfies Prisma.SmtpCredentialSelect;

type ViewRow = Prisma.SmtpCredentialGetPayload<{ select: typeof VIEW }>;

function toView({ domains, ...row }: ViewRow): CredentialView {
  return { ...row, domainIds: domains.map((d) => d.domainId) };
}

@Injectable()
export class CredentialsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async list(tenant: TenantContext, query: ListCredentialsQuery): Promise<Page<CredentialView>> {
    const where = { tenantId: tenant.tenantId, ...(query.status ? { status: query.status } : {}) };
    const rows = await this.prisma.smtpCredential.findMany({ ...pageArgs(query, where), select: VIEW });
    return toPage(rows.map(toView), query);
  }

  async get(tenant: TenantContext, id: string): Promise<CredentialView> {
    const row = await this.prisma.smtpCredential.findFirst({ where: { id, tenantId: tenant.tenantId }, select: VIEW });
    if (!row) throw AppError.notFound('credential');
    return toView(row);
  }

  async create(tenant: TenantContext, body: CreateCredentialBody): Promise<CredentialWithSecret> {
    const scope = requestedScope(body);
    const password = generatePassword();
    const view = await this.prisma.$transaction(async (tx) => {
      await assertScopeOwned(tx, tenant, scope);
      const row = await tx.smtpCredential.create({
        data: {
          tenantId: tenant.tenantId,
          name: body.name,
          username: generateUsername(),
          secretDigest: secretDigest(password),
          allDomains: scope.allDomains,
          allowedSenders: scope.allowedSenders,
          ipAllowlist: body.ipAllowlist,
          ratePerMinute: body.ratePerMinute,
          createdById: tenant.actor.kind === 'user' ? tenant.actor.userId : null,
          domains: { create: scope.domainIds.map((domainId) => ({ domainId })) },
        },
        select: VIEW,
      });
      await this.written(tx, tenant, row.id, 'credential.created', { name: row.name, username: row.username });
      return toView(row);
    });
    return this.withSecret(view, password);
  }

  async update(tenant: TenantContext, id: string, body: UpdateCredentialBody): Promise<CredentialView> {
    return this.prisma.$transaction(async (tx) => {
      const current = await this.findForWrite(tx, tenant, id);
      const scope = requestedScope(body, current);
      await assertScopeOwned(tx, tenant, scope);
      const domainsChanged = body.domainIds !== undefined || body.allDomains !== undefined;
      const row = await tx.smtpCredential.update({
        where: { id: current.id },
        data: {
          name: body.name,
          allDomains: scope.allDomains,
          allowedSenders: scope.allowedSenders,
          ipAllowlist: body.ipAllowlist,
          ratePerMinute: body.ratePerMinute,
          ...(domainsChanged
            ? { domains: { deleteMany: {}, create: scope.domainIds.map((domainId) => ({ domainId })) } }
            : {}),
        },
        select: VIEW,
      });
      await this.written(tx, tenant, id, 'credential.updated', { fields: Object.keys(body) });
      return toView(row);
    });
  }

  async setStatus(tenant: TenantContext, id: string, status: 'active' | 'disabled'): Promise<CredentialView> {
    return this.prisma.$transaction(async (tx) => {
      await this.findForWrite(tx, tenant, id);
      const row = await tx.smtpCredential.update({ where: { id }, data: { status }, select: VIEW });
      await this.written(tx, tenant, id, status === 'active' ? 'credential.enabled' : 'credential.disabled');
      return toView(row);
    });
  }

  /** A new password; the old one stops working as soon as nodes apply the change (about a second). */
  async rotate(tenant: TenantContext, id: string): Promise<CredentialWithSecret> {
    const password = generatePassword();
    const view = await this.prisma.$transaction(async (tx) => {
      await this.findForWrite(tx, tenant, id);
      const row = await tx.smtpCredential.update({
        where: { id },
        data: { secretDigest: secretDigest(password), rotatedAt: new Date() },
        select: VIEW,
      });
      await this.written(tx, tenant, id, 'credential.rotated');
      return toView(row);
    });
    return this.withSecret(view, password);
  }

  async remove(tenant: TenantContext, id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const current = await this.findForWrite(tx, tenant, id);
      await tx.smtpCredential.delete({ where: { id } });
      await this.written(tx, tenant, id, 'credential.deleted', { username: current.username }, 'delete');
    });
  }

  /** Locks the row so concurrent updates of one credential apply one after the other. */
  private async findForWrite(tx: Prisma.TransactionClient, tenant: TenantContext, id: string) {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM smtp_credentials WHERE id = ${id}::uuid AND "tenantId" = ${tenant.tenantId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw AppError.notFound('credential');
    const row = await tx.smtpCredential.findFirstOrThrow({ where: { id, tenantId: tenant.tenantId }, select: VIEW });
    return { ...row, domainIds: row.domains.map((d) => d.domainId) };
  }

  /** Audit first, policy change last: the policy log lock is then held only until commit. */
  private async written(
    tx: Prisma.TransactionClient,
    tenant: TenantContext,
    id: string,
    action: AuditAction,
    metadata: Prisma.InputJsonObject = {},
    op: 'upsert' | 'delete' = 'upsert',
  ): Promise<void> {
    await audit(tx, tenant, action, { type: 'credential', id }, metadata);
    await recordPolicyChange(tx, { tenantId: tenant.tenantId, entity: 'credential', entityId: id, op });
  }

  private withSecret(view: CredentialView, password: string): CredentialWithSecret {
    return {
      ...view,
      password,
      smtp: { ...smtpSettings(this.config), username: view.username },
    };
  }
}
