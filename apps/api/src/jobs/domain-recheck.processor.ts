import type { PrismaClient } from '@smarthost/db';
import type { DnsResolver } from '@smarthost/dns';
import type { Job, Queue } from 'bullmq';
import { recheckDomain, verifiedDomainIds } from '../domains/recheck-domain';
import { type DomainRecheckData, RECHECK_JOB, recheckJobId, recheckPayload, SWEEP_JOB } from './domain-recheck.queue';

export interface RecheckDeps {
  prisma: PrismaClient;
  resolver: DnsResolver;
  queue: Pick<Queue<DomainRecheckData>, 'addBulk'>;
}

const SWEEP_PAGE = 500;

/**
 * Thin: the sweep fans out one job per verified domain (so one slow name server delays only its own domain and a
 * failure retries only that domain), and each recheck job calls the same code as the API.
 */
export async function processDomainRecheckJob(deps: RecheckDeps, job: Pick<Job, 'name' | 'id' | 'data'>): Promise<unknown> {
  switch (job.name) {
    case SWEEP_JOB:
      return { enqueued: await sweep(deps, job.id ?? String(Date.now())) };
    case RECHECK_JOB:
      return recheckDomain(deps.prisma, deps.resolver, recheckPayload.parse(job.data).domainId);
    default:
      throw new Error(`unknown ${job.name} job in the domain re-check queue`);
  }
}

async function sweep(deps: RecheckDeps, sweepId: string): Promise<number> {
  let enqueued = 0;
  for (let after: string | undefined; ; ) {
    const ids = await verifiedDomainIds(deps.prisma, after, SWEEP_PAGE);
    if (ids.length === 0) return enqueued;
    await deps.queue.addBulk(ids.map((domainId) => ({ name: RECHECK_JOB, data: { domainId }, opts: { jobId: recheckJobId(domainId, sweepId) } })));
    enqueued += ids.length;
    after = ids.at(-1);
  }
}
