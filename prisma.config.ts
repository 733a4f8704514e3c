// Read by the native Prisma CLI (`prisma migrate deploy`, `prisma studio`) where its engine can be
// installed; the offline tooling in libs/db takes DATABASE_URL itself. `env()` from prisma/config
// would throw when DATABASE_URL is unset, and `prisma generate` loads this file without needing a
// database, so the variable is read directly.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? '' },
});
