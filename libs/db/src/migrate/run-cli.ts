import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, nodeEnv, url } from '@smarthost/config';
import { z } from 'zod';
import { checkDrift } from './check-drift';
import { createMigration } from './create-migration';
import { migrateDatabase, type MigrateResult } from './migrate-database';
import { DEFAULT_TEMPLATE_DATABASE, prepareTemplateDatabase } from './prepare-template';
import { resetDatabase } from './reset-database';

export const USAGE = `usage: db <command> [--schema <schema.prisma>] [--migrations <dir>]
  migrate          apply pending migrations to DATABASE_URL (creates the database if missing)
  create <name>    write prisma/migrations/<timestamp>_<name>/migration.sql for schema changes
  reset            drop everything in DATABASE_URL and reapply all migrations (not in production)
  drift            exit 1, printing the missing SQL, when schema.prisma and the migrations disagree
  template         build the test template database (SMARTHOST_TEST_TEMPLATE_DB) unless up to date`;

const COMMANDS = ['migrate', 'create', 'reset', 'drift', 'template'];

const envSchema = z.object({
  DATABASE_URL: url(['postgres', 'postgresql']),
  NODE_ENV: nodeEnv,
  SMARTHOST_TEST_TEMPLATE_DB: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case Postgres identifier')
    .default(DEFAULT_TEMPLATE_DATABASE),
});

type Env = z.infer<typeof envSchema>;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

interface Invocation {
  command: string | undefined;
  args: string[];
  paths: { schemaPath?: string; migrationsDir?: string };
}

/** The `db` command line; returns the exit code. Never reads process state itself, so tests can drive it. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, output: CliOutput): Promise<number> {
  let invocation: Invocation;
  let config: Env;
  try {
    invocation = parseInvocation(argv);
    if (!COMMANDS.includes(invocation.command ?? '')) {
      output.err(`${invocation.command ? `unknown command: ${invocation.command}\n` : ''}${USAGE}\n`);
      return 2;
    }
    config = loadConfig(envSchema, env);
  } catch (error) {
    output.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    return await dispatch(invocation, config, output);
  } catch (error) {
    // Engine errors carry their own trace in the message; their JS stack only points into the wasm glue.
    output.err(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function parseInvocation(argv: string[]): Invocation {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { schema: { type: 'string' }, migrations: { type: 'string' } },
  });
  const [command, ...args] = positionals;
  return {
    command,
    args,
    paths: {
      ...(values.schema ? { schemaPath: resolve(values.schema) } : {}),
      ...(values.migrations ? { migrationsDir: resolve(values.migrations) } : {}),
    },
  };
}

async function dispatch({ command, args, paths }: Invocation, env: Env, output: CliOutput): Promise<number> {
  switch (command) {
    case 'migrate':
      reportMigrate(await migrateDatabase(env.DATABASE_URL, paths), output);
      return 0;
    case 'reset':
      reportMigrate(await resetDatabase(env.DATABASE_URL, { ...paths, nodeEnv: env.NODE_ENV }), output);
      return 0;
    case 'create':
      return create(args, env, paths, output);
    case 'drift':
      return drift(env, paths, output);
    case 'template': {
      const result = await prepareTemplateDatabase(env.DATABASE_URL, { ...paths, templateName: env.SMARTHOST_TEST_TEMPLATE_DB });
      output.out(`${result.rebuilt ? 'Built' : 'Up to date:'} template database ${result.templateName} (migrations ${result.checksum.slice(0, 12)})\n`);
      return 0;
    }
    default:
      throw new Error(`unhandled command ${command}`);
  }
}

async function create(args: string[], env: Env, paths: Invocation['paths'], output: CliOutput): Promise<number> {
  const [name] = args;
  if (!name || args.length > 1) {
    output.err(`create takes exactly one migration name\n${USAGE}\n`);
    return 2;
  }
  const { folder } = await createMigration(env.DATABASE_URL, name, paths);
  output.out(folder ? `Wrote migration ${folder}/migration.sql\n` : 'schema.prisma matches the migrations: nothing to write.\n');
  return 0;
}

async function drift(env: Env, paths: Invocation['paths'], output: CliOutput): Promise<number> {
  const { inSync, missingSql } = await checkDrift(env.DATABASE_URL, paths);
  if (inSync) {
    output.out('schema.prisma and the migrations agree.\n');
    return 0;
  }
  output.err('schema.prisma has changes without a migration (run: npm run db:migrate:create -- <name>). Missing SQL:\n');
  output.out(missingSql ?? '');
  return 1;
}

function reportMigrate(result: MigrateResult, output: CliOutput): void {
  if (result.createdDatabase) output.out('Created the database.\n');
  output.out(result.applied.length ? `Applied ${result.applied.length} migration(s):\n${result.applied.map((name) => `  ${name}\n`).join('')}` : 'No pending migrations.\n');
  if (result.edited.length) {
    output.err(`Warning: applied migrations changed on disk since they ran: ${result.edited.join(', ')}\n`);
  }
}
