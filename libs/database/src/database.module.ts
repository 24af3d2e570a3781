import { Global, Module } from '@nestjs/common';
import { MigrationsService } from './migrations/migrations.service';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [PrismaService, MigrationsService],
  exports: [PrismaService, MigrationsService],
})
export class DatabaseModule {}
