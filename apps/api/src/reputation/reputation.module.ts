import { Module } from '@nestjs/common';
import { ReputationController } from './reputation.controller';
import { ReputationService } from './reputation.service';
import { ReputationWorker } from './reputation.worker';

/** The relay's reputation, protected on its own: tenants whose mail bounces too much are paused. */
@Module({ controllers: [ReputationController], providers: [ReputationService, ReputationWorker] })
export class ReputationModule {}
