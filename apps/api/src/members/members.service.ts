import { Inject, Injectable } from '@nestjs/common';
import type { Membership, Prisma, PrismaClient, Role, User } from '@smarthost/db';
import { audit } from '../audit/audit';
import type { TenantContext } from '../auth/principal';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import type { MemberView } from './members.dto';
import { mayChangeMember } from './role-rules';

@Injectable()
export class MembersService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async list(context: TenantContext): Promise<MemberView[]> {
    const rows = await this.prisma.membership.findMany({
      where: { tenantId: context.tenantId },
      include: { user: true },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(view);
  }

  async changeRole(context: TenantContext, memberId: string, role: Role): Promise<MemberView> {
    return this.prisma.$transaction(async (tx) => {
      const member = await this.lockedMember(tx, context, memberId);
      if (member.role === role) return view(member);
      this.assertMayChange(context, member.role, role);
      if (member.role === 'owner') await assertAnotherOwner(tx, context.tenantId);
      const updated = await tx.membership.update({ where: { id: member.id }, data: { role }, include: { user: true } });
      await audit(tx, context, 'member.role_changed', { type: 'user', id: member.userId }, { from: member.role, to: role });
      return view(updated);
    });
  }

  async remove(context: TenantContext, memberId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const member = await this.lockedMember(tx, context, memberId);
      this.assertMayChange(context, member.role, undefined);
      if (member.role === 'owner') await assertAnotherOwner(tx, context.tenantId);
      await tx.membership.delete({ where: { id: member.id } });
      await audit(tx, context, 'member.removed', { type: 'user', id: member.userId }, { role: member.role });
    });
  }

  /**
   * The tenant row is locked first, so two owners demoting each other at once are serialised and the second one
   * sees that it would leave the tenant without an owner.
   */
  private async lockedMember(tx: Prisma.TransactionClient, context: TenantContext, memberId: string) {
    await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${context.tenantId}::uuid FOR UPDATE`;
    const member = await tx.membership.findFirst({ where: { id: memberId, tenantId: context.tenantId }, include: { user: true } });
    if (!member) throw AppError.notFound('member');
    return member;
  }

  private assertMayChange(context: TenantContext, from: Role, to: Role | undefined): void {
    if (!mayChangeMember(context.role, from, to)) {
      throw new AppError('forbidden', 'only an owner may grant the owner role or change an owner, and no one may grant a role above their own');
    }
  }
}

async function assertAnotherOwner(tx: Prisma.TransactionClient, tenantId: string): Promise<void> {
  const owners = await tx.membership.count({ where: { tenantId, role: 'owner' } });
  if (owners <= 1) throw new AppError('conflict', 'a tenant must keep at least one owner; make someone else owner first');
}

function view(member: Membership & { user: User }): MemberView {
  return {
    id: member.id,
    userId: member.userId,
    email: member.user.email,
    name: member.user.name,
    role: member.role,
    createdAt: member.createdAt.toISOString(),
  };
}
