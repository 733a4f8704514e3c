export * from './check-drift';
export * from './create-migration';
export * from './migrate-database';
export * from './prepare-template';
export * from './reset-database';
export type { EngineSessionOptions } from './engine-session';
export type { MigrationsOptions, SchemaOptions } from './options';
export { defaultPrismaPaths, type PrismaPaths } from './prisma-paths';
export { databaseNameOf, withDatabaseName } from './postgres-admin';
