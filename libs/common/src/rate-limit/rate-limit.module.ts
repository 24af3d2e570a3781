import { Global, Module } from '@nestjs/common';
import { RateLimits } from './rate-limits';
import { RateLimitsThrottlerStorage } from './rate-limits.throttler-storage';

@Global()
@Module({
  providers: [RateLimits, RateLimitsThrottlerStorage],
  exports: [RateLimits, RateLimitsThrottlerStorage],
})
export class RateLimitModule {}
