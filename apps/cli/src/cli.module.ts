import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@intake/audit';
import { AuthModule, TwoFactorSealedColumns } from '@intake/auth';
import { AppConfig, ConfigModule } from '@intake/config';
import { CryptoModule, RateLimitModule, RedisModule } from '@intake/common';
import { DatabaseModule } from '@intake/database';
import { DestinationSealedColumns } from '@intake/destinations';
import { OAuthSealedColumns } from '@intake/oauth';
import { RealtimeModule } from '@intake/realtime';

/** The services the admin commands use, without HTTP. */
@Module({})
export class CliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        CryptoModule,
        RateLimitModule,
        // Sessions close their dashboard sockets when revoked (e.g. by a password reset).
        RealtimeModule,
        AuditModule,
        AuthModule,
      ],
      // Key rotation: each feature's sealed columns, on the system context (see ADR 0022).
      providers: [TwoFactorSealedColumns, DestinationSealedColumns, OAuthSealedColumns],
    };
  }
}
