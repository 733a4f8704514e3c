// Models, enums, the Prisma namespace (errors, input types, TransactionClient) and PrismaClient,
// generated from prisma/schema.prisma.
export * from './generated/prisma/client';
export * from './create-prisma-client';
// Migration tooling (WebAssembly schema engine, loaded only when one of these is called).
export * from './migrate';
