import { loadConfig, secretKey, url } from '@smarthost/config';
import { z } from 'zod';

export const DEFAULT_DEMO_PASSWORD = 'smarthost-demo-password';

/** What `npm run db:seed` reads; documented in .env.example with the API's variables. */
export const seedConfigSchema = z.object({
  DATABASE_URL: url(['postgres', 'postgresql']),
  /** Password of demo@smarthost.local (secret outside local demos). */
  DEMO_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters' }).max(256).default(DEFAULT_DEMO_PASSWORD),
  /**
   * Set all four (the demo command does) to also seed what relaying needs: the demo domain with an active DKIM key,
   * the SMTP credential `smtp_demo` with this password, and the relay node `demo-node` with this token.
   */
  DEMO_SMTP_PASSWORD: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  RELAY_NODE_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  DKIM_MASTER_KEY: secretKey(32).optional(),
  DKIM_MASTER_KEY_ID: z.string().min(1).default('k1'),
  RELAY_HOSTNAME: z.string().min(1).default('relay.smarthost.local'),
});

export type SeedConfig = z.infer<typeof seedConfigSchema>;

export function loadSeedConfig(env: NodeJS.ProcessEnv = process.env): SeedConfig {
  return loadConfig(seedConfigSchema, env);
}
