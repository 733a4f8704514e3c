export * from './queue-names';
export * from './message-id';
export * from './delivery-job';
export * from './event-job';
export * from './connection';
export * from './dead-letter';
export * from './redis-durability';
export * from './add-job-on';
