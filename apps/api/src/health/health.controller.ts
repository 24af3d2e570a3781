import { Controller, Get } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@intake/auth';
import { AppError } from '@intake/common';
import { MigrationsService } from '@intake/database';

/** Probes for orchestrators: liveness never touches dependencies, readiness does. */
@Controller()
@Public()
@SkipThrottle()
export class HealthController {
  constructor(private readonly migrations: MigrationsService) {}

  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(): Promise<{ status: 'ready' }> {
    const pending = await this.migrations.pending().catch(() => null);
    if (pending === null) throw new AppError('unavailable', 'Database unreachable');
    if (pending.length > 0)
      throw new AppError('unavailable', `Database has ${pending.length} pending migration(s)`);
    return { status: 'ready' };
  }
}
