import { Module } from '@nestjs/common';
import { EventIngestWorker } from './event-ingest.provider';
import { EventRetentionWorker } from './event-retention.worker';

/** Background side of delivery reporting: ingest of the events queue and retention of what it stored. */
@Module({ providers: [EventIngestWorker, EventRetentionWorker] })
export class EventsModule {}
