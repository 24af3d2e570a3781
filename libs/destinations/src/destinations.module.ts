import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@intake/audit';
import { CryptoModule } from '@intake/common';
import { FormsModule } from '@intake/forms';
import { MetricsModule } from '@intake/metrics';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { DeliveriesService } from './deliveries/deliveries.service';
import { DeliveryAttemptHandler } from './deliveries/delivery-attempt.handler';
import { DeliveryLogService } from './deliveries/delivery-log.service';
import { DeliveryOutcomesRepository } from './deliveries/delivery-outcomes.repository';
import { DeliveryQueueRepository } from './deliveries/delivery-queue.repository';
import { DeliveryRunner, RUN_DELIVERIES } from './deliveries/delivery-runner';
import { DestinationDisabledNotice } from './deliveries/destination-disabled.notice';
import { DestinationSender } from './deliveries/destination-sender';
import { DestinationSecretService } from './destinations/destination-secret.service';
import { DestinationsRepository } from './destinations/destinations.repository';
import { DestinationsService } from './destinations/destinations.service';
import { WebhookSecrets } from './destinations/webhook-secrets';

/**
 * Destinations and their deliveries; `runDeliveries` says whether this process sends them
 * (the worker always, the api with JOBS_IN_API). Needs `Mailer` (MailModule) and the config
 * from the host module. Audit and crypto are imported here because the worker does not
 * import them itself.
 */
@Module({})
export class DestinationsModule {
  static register(options: { runDeliveries: boolean }): DynamicModule {
    return {
      module: DestinationsModule,
      imports: [AuditModule, CryptoModule, FormsModule, MetricsModule],
      providers: [
        { provide: RUN_DELIVERIES, useValue: options.runDeliveries },
        DeliveriesRepository,
        DeliveriesService,
        DeliveryAttemptHandler,
        DeliveryLogService,
        DeliveryOutcomesRepository,
        DeliveryQueueRepository,
        DeliveryRunner,
        DestinationDisabledNotice,
        DestinationSecretService,
        DestinationSender,
        DestinationsRepository,
        DestinationsService,
        WebhookSecrets,
      ],
      exports: [
        DeliveriesService,
        DeliveryLogService,
        DeliveryRunner,
        DestinationSecretService,
        DestinationsService,
      ],
    };
  }
}
