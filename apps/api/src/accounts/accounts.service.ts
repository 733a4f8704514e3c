import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient, User } from '@smarthost/db';
import { audit, auditAccount } from '../audit/audit';
import type { UserPrincipal } from '../auth/decorators';
import { LoginLimiter } from '../auth/login-limiter';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords';
import { AppError } from '../core/app-error';
import { PRISMA } from '../core/tokens';
import { TenantsService } from '../tenants/tenants.service';
import type { ChangePasswordBody, MeResponse, SignupBody, UserView } from './accounts.dto';

const SIGNUP_ATTEMPTS = 3;

/** The same answer for an unknown email and a wrong password, so log-in does not reveal who has an account. */
const BAD_LOGIN = () => new AppError('unauthenticated', 'email or password is wrong');

@Injectable()
export class AccountsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly tenants: TenantsService,
    private readonly limiter: LoginLimiter,
  ) {}

  /** A user, their first tenant and their owner membership, all or nothing. */
  async signup(body: SignupBody, ip: string | undefined): Promise<UserView> {
    const passwordHash = await hashPassword(body.password);
    for (let attempt = 1; ; attempt++) {
      if (await this.prisma.user.findUnique({ where: { email: body.email }, select: { id: true } })) {
        throw new AppError('conflict', 'an account with this email already exists; log in instead');
      }
      const slug = await this.tenants.freeSlug(body.tenantName);
      try {
        return await this.createAccount(body, passwordHash, slug, ip);
      } catch (error) {
        // A concurrent sign-up took the slug (or the email, which the next round reports): pick again.
        if ((error as { code?: string }).code !== 'P2002' || attempt >= SIGNUP_ATTEMPTS) throw error;
      }
    }
  }

  /** Checks a log-in under the brute-force limits; the Passport local strategy calls this. */
  async authenticate(email: string, password: string, ip: string): Promise<UserView> {
    await this.limiter.check(email, ip);
    const user = await this.prisma.user.findUnique({ where: { email } });
    const ok = user ? await verifyPassword(user.passwordHash, password) : await burnPasswordCheck(password);
    if (!user || !ok) {
      await this.limiter.recordFailure(email, ip);
      throw BAD_LOGIN();
    }
    await this.limiter.recordSuccess(email, ip);
    await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } }),
      this.prisma.auditLog.create({
        data: { actorUserId: user.id, action: 'user.logged_in', targetType: 'user', targetId: user.id, ip },
      }),
    ]);
    return view(user);
  }

  async me(userId: string): Promise<MeResponse> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError('unauthenticated', 'account no longer exists');
    return { user: view(user), tenants: await this.tenants.listForUser(userId) };
  }

  /** The current password is checked under the log-in limits, so a stolen session cannot be used to guess it. */
  async changePassword(principal: UserPrincipal, body: ChangePasswordBody, ip: string): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: principal.userId } });
    if (!user) throw new AppError('unauthenticated', 'account no longer exists');
    await this.limiter.check(user.email, ip);
    if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
      await this.limiter.recordFailure(user.email, ip);
      throw AppError.invalid('body.currentPassword', 'is not your current password');
    }
    if (body.currentPassword === body.newPassword) throw AppError.invalid('body.newPassword', 'must differ from the current one');
    const passwordHash = await hashPassword(body.newPassword);
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
      await tx.session.updateMany({
        where: { userId: user.id, revokedAt: null, id: { not: principal.sessionId } },
        data: { revokedAt: new Date() },
      });
      await auditAccount(tx, user.id, 'user.password_changed', ip);
    });
  }

  private createAccount(body: SignupBody, passwordHash: string, slug: string, ip: string | undefined): Promise<UserView> {
    return this.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: body.email, name: body.name, passwordHash } });
      const tenant = await this.tenants.createWithOwner(tx, body.tenantName, slug, user.id);
      const context = { tenantId: tenant.id, role: 'owner' as const, actor: { kind: 'user' as const, userId: user.id, sessionId: '' }, ip };
      await audit(tx, context, 'member.added', { type: 'user', id: user.id }, { role: 'owner', via: 'signup' });
      return view(user);
    });
  }
}

function view(user: User): UserView {
  return { id: user.id, email: user.email, name: user.name };
}
