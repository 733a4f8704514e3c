import { loadConfig, url } from '@smarthost/config';
import { z } from 'zod';

export const DEFAULT_DEMO_PASSWORD = 'smarthost-demo-password';

/** What `npm run db:seed` reads; documented in .env.example with the API's variables. */
export const seedConfigSchema = z.object({
  DATABASE_URL: url(['postgres', 'postgresql']),
  /** Password of demo@smarthost.local (secret outside local demos). */
  DEMO_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters' }).max(256).default(DEFAULT_DEMO_PASSWORD),
});

export type SeedConfig = z.infer<typeof seedConfigSchema>;

export function loadSeedConfig(env: NodeJS.ProcessEnv = process.env): SeedConfig {
  return loadConfig(seedConfigSchema, env);
}
