import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@smarthost/db';
import { secretDigest } from '@smarthost/relay-policy';
import { API_CONFIG, type ApiConfig, keyBytes } from '../config/api-config';
import { PRISMA } from '../core/tokens';
import { csrfTokenFor, SESSION_TTL_MS } from './session-cookie';

export interface NewSession {
  /** Goes into the cookie; never stored. */
  token: string;
  /** Handed to the dashboard to echo in x-csrf-token; never stored. */
  csrfToken: string;
}

export interface SessionClient {
  ip: string | undefined;
  userAgent: string | undefined;
}

/** Dashboard sessions: a random token in the cookie, its digest in the table, so a session can be revoked. */
@Injectable()
export class SessionsService {
  private readonly csrfKey: Buffer;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.csrfKey = keyBytes(config.SESSION_SECRET);
  }

  async create(userId: string, client: SessionClient): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = this.csrfToken(token);
    await this.prisma.session.create({
      data: {
        userId,
        tokenDigest: secretDigest(token),
        csrfDigest: secretDigest(csrfToken),
        ip: client.ip ?? null,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      },
    });
    return { token, csrfToken };
  }

  csrfToken(sessionToken: string): string {
    return csrfTokenFor(sessionToken, this.csrfKey);
  }

  async revoke(sessionId: string): Promise<void> {
    await this.prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
