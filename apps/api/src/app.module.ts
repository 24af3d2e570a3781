import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AuditModule } from '@intake/audit';
import { AuthGuard, AuthModule, RateLimitGuard, SocialSignInModule } from '@intake/auth';
import { AppConfig, ConfigModule } from '@intake/config';
import {
  ContentTypeGuard,
  CryptoModule,
  ErrorFilter,
  LoggingModule,
  RateLimitModule,
  RateLimitsThrottlerStorage,
  RedisModule,
} from '@intake/common';
import { DatabaseModule } from '@intake/database';
import { FormsModule } from '@intake/forms';
import { devMailboxEnabled, MailModule } from '@intake/mail';
import { McpModule } from '@intake/mcp';
import { MetricsModule } from '@intake/metrics';
import { PipelineModule, ReplyReviewModule } from '@intake/pipeline';
import { RealtimeModule } from '@intake/realtime';
import { OAuthModule } from '@intake/oauth';
import { RetentionModule, SubmissionsModule } from '@intake/submissions';
import { AccountDeletionService } from './account/account-deletion.service';
import { AccountExportService } from './account/account-export.service';
import { AccountController } from './account/account.controller';
import { ApiKeysController } from './account/api-keys.controller';
import { ApiAuditLogController, AuditLogController } from './account/audit-log.controller';
import { EmailController } from './account/email.controller';
import { IdentitiesController } from './account/identities.controller';
import { SessionsController } from './account/sessions.controller';
import { TwoFactorController } from './account/two-factor.controller';
import { AuthController } from './auth/auth.controller';
import { EmailVerificationController } from './auth/email-verification.controller';
import { MagicLinkController } from './auth/magic-link.controller';
import { PasswordResetController } from './auth/password-reset.controller';
import { SocialSignInController } from './auth/social-sign-in.controller';
import { DeliveriesController } from './destinations/deliveries.controller';
import { DestinationsController } from './destinations/destinations.controller';
import { DevMailboxController } from './dev/dev-mailbox.controller';
import { FormsController } from './forms/forms.controller';
import { KnowledgeBasesController } from './forms/knowledge-bases.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { McpController } from './mcp/mcp.controller';
import { ProtectedResourceController } from './mcp/protected-resource.controller';
import { OAuthClientsController } from './oauth/oauth-clients.controller';
import { OAuthInteractionController } from './oauth/oauth-interaction.controller';
import { OpenApiController } from './openapi/openapi.controller';
import { AccountPagesController } from './dashboard/pages/account-pages.controller';
import { ApiKeysPagesController } from './dashboard/pages/api-keys-pages.controller';
import { AuditLogPagesController } from './dashboard/pages/audit-log-pages.controller';
import { ConfirmIdentityPagesController } from './dashboard/pages/confirm-identity-pages.controller';
import { DestinationsPagesController } from './dashboard/pages/destinations-pages.controller';
import { FormEditorPagesController } from './dashboard/pages/form-editor-pages.controller';
import { FormsPagesController } from './dashboard/pages/forms-pages.controller';
import { SubmissionPagesController } from './dashboard/pages/submission-pages.controller';
import { SecurityPagesController } from './dashboard/pages/security-pages.controller';
import { TwoFactorPagesController } from './dashboard/pages/two-factor-pages.controller';
import { SecurityPage } from './dashboard/security-page';
import { SignInPagesController } from './dashboard/pages/sign-in-pages.controller';
import { Viewers } from './dashboard/viewers';
import { DashboardGateway } from './realtime/dashboard.gateway';
import { PublicFormController } from './submissions/public-form.controller';
import { SubmissionsExportController } from './submissions/submissions-export.controller';
import { SubmissionsController } from './submissions/submissions.controller';

/** Per-minute budget of a caller, by how it authenticated (see RateLimitGuard). */
function budgetFor(config: AppConfig) {
  return (context: ExecutionContext): number => {
    const principal = context.switchToHttp().getRequest<Request>().principal;
    if (principal?.kind === 'api_key') return config.env.API_KEY_RATE_LIMIT_PER_MINUTE;
    if (principal?.kind === 'session') return config.env.SESSION_RATE_LIMIT_PER_MINUTE;
    return config.env.ANONYMOUS_RATE_LIMIT_PER_MINUTE;
  };
}

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        CryptoModule,
        MailModule,
        RealtimeModule,
        RateLimitModule,
        AuditModule,
        AuthModule,
        // Google and GitHub strategies only for the providers configured.
        SocialSignInModule.register(config),
        FormsModule,
        SubmissionsModule,
        OAuthModule,
        McpModule,
        MetricsModule,
        // Background work in the api only when there is no worker (JOBS_IN_API).
        RetentionModule.register({ when: 'if-api-runs-jobs' }),
        PipelineModule.register({ runJobs: config.jobsInApi }),
        ReplyReviewModule,
        ThrottlerModule.forRootAsync({
          inject: [RateLimitsThrottlerStorage],
          useFactory: (storage: RateLimitsThrottlerStorage) => ({
            storage,
            throttlers: [{ name: 'default', ttl: 60_000, limit: budgetFor(config) }],
          }),
        }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        AuthController,
        ApiKeysController,
        AuditLogController,
        ApiAuditLogController,
        AccountController,
        SessionsController,
        TwoFactorController,
        MagicLinkController,
        PasswordResetController,
        EmailVerificationController,
        EmailController,
        SocialSignInController,
        IdentitiesController,
        FormsController,
        KnowledgeBasesController,
        // Before SubmissionsController: its `:id` would otherwise take `export`.
        SubmissionsExportController,
        SubmissionsController,
        OpenApiController,
        DestinationsController,
        DeliveriesController,
        // Development only, with the log mailer: absent (404) otherwise.
        ...(devMailboxEnabled(config) ? [DevMailboxController] : []),
        OAuthInteractionController,
        OAuthClientsController,
        McpController,
        ProtectedResourceController,
        // The dashboard's pages (HTML; apps/api/src/dashboard).
        SignInPagesController,
        // Before FormsPagesController: `forms/new` is not a form id.
        FormEditorPagesController,
        FormsPagesController,
        SubmissionPagesController,
        DestinationsPagesController,
        ApiKeysPagesController,
        AuditLogPagesController,
        AccountPagesController,
        ConfirmIdentityPagesController,
        SecurityPagesController,
        TwoFactorPagesController,
        // Last: its `api/:opaque/f/:slug` pattern must not shadow the fixed /api routes.
        PublicFormController,
      ],
      providers: [
        AccountExportService,
        AccountDeletionService,
        { provide: APP_FILTER, useClass: ErrorFilter },
        DashboardGateway,
        Viewers,
        SecurityPage,
        // Order matters: who the caller is decides their rate budget.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: ContentTypeGuard },
      ],
    };
  }
}
