import type { EngineSessionOptions } from './engine-session';
import type { PrismaPaths } from './prisma-paths';

export interface MigrationsOptions extends EngineSessionOptions {
  /** Defaults to prisma/migrations in the workspace. */
  migrationsDir?: string;
}

/** Paths default to prisma/schema.prisma and prisma/migrations in the workspace. */
export interface SchemaOptions extends Partial<PrismaPaths>, EngineSessionOptions {}
