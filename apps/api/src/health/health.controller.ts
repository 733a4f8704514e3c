import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PrismaClient } from '@smarthost/db';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Public } from '../auth/decorators';
import { PRISMA, REDIS } from '../core/tokens';

type Check = { ok: true; ms: number } | { ok: false; error: 'unreachable' };

async function timed(probe: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await probe();
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch {
    // /readyz is public: the driver's message (hosts, ports, database names) stays out of the answer.
    return { ok: false, error: 'unreachable' };
  }
}

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the process can serve, i.e. Postgres and Redis answer. 503 otherwise. */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) response: Response) {
    const [postgres, redis] = await Promise.all([
      timed(() => this.prisma.$queryRaw`SELECT 1`),
      timed(() => this.redis.ping()),
    ]);
    const checks = { postgres, redis };
    const down = Object.entries(checks).filter(([, check]) => !check.ok).map(([name]) => name);
    response.status(down.length === 0 ? 200 : 503);
    return { status: down.length === 0 ? 'ok' : 'unavailable', down, checks };
  }
}
