import { Module } from '@nestjs/common';
import { ReputationWorker } from './reputation.worker';

/** The relay's reputation, protected on its own: tenants whose mail bounces too much are paused. */
@Module({ providers: [ReputationWorker] })
export class ReputationModule {}
