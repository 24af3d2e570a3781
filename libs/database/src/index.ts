export * from './database.module';
export * from './database-target';
export * from './embedded-lock';
export * from './migrations/migrations.service';
export * from './migrations/migrator';
export * from './prisma.service';
export type * from './generated/prisma/client';
export { Prisma } from './generated/prisma/client';
