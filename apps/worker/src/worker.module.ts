import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@intake/config';
import { LoggingModule } from '@intake/common';
import { DatabaseModule } from '@intake/database';

/**
 * The job runner. It holds the database connection the processing pipeline will use;
 * the pipeline's consumers are registered here as they are built.
 */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule],
    };
  }
}
