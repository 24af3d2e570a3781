import { Controller, Get, Header, HttpCode, Options, Param, Post, Req, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '@intake/auth';
import { AppError, Consumes } from '@intake/common';
import { AppConfig } from '@intake/config';
import { PublishedForms, type PublishedForm } from '@intake/forms';
import { IngestService, originAllowed } from '@intake/submissions';
import { describeForm, describeFormHtml, thankYouHtml } from './form-description';

const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The public endpoint of a form version: anyone may call it (private forms check their
 * submission token in the ingest service). Quotas are per form and IP, in the ingest
 * service, so the global per-caller throttle is skipped.
 */
@Controller('api/:opaque/f/:slug')
@Public()
@SkipThrottle()
export class PublicFormController {
  constructor(
    private readonly ingest: IngestService,
    private readonly published: PublishedForms,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async describe(
    @Param('opaque') opaque: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { form, compiled } = await this.resolve(opaque, request, response);
    const description = describeForm(
      form,
      compiled.publicFields,
      this.endpointUrl(opaque, form.slug),
    );
    response.vary('Accept');
    if (request.accepts(['application/json', 'text/html']) === 'text/html') {
      response.type('html').send(describeFormHtml(description));
    } else {
      response.json(description);
    }
  }

  @Get('thanks')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async thanks(@Param('opaque') opaque: string): Promise<string> {
    const { form } = await this.published.resolve(opaque);
    return thankYouHtml(form.name);
  }

  @Options()
  @HttpCode(204)
  async preflight(
    @Param('opaque') opaque: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const { form } = await this.resolve(opaque, request, response);
    if (!originAllowed(form.allowedOrigins, request.headers.origin)) return;
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    response.setHeader(
      'Access-Control-Allow-Headers',
      'Content-Type, Authorization, Idempotency-Key',
    );
    response.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }

  @Post()
  @Consumes('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data')
  async submit(
    @Param('opaque') opaque: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const isFormPost =
      request.is(['application/x-www-form-urlencoded', 'multipart/form-data']) !== false;
    const published = await this.resolve(opaque, request, response);
    try {
      const { status, acknowledgement } = await this.ingest.submit(published, request);
      if (isFormPost) {
        response.redirect(
          303,
          published.form.redirectUrl ?? `${this.endpointUrl(opaque, published.form.slug)}/thanks`,
        );
      } else {
        response.status(status).json(acknowledgement);
      }
    } catch (error) {
      // A plain HTML form goes back to its page with the error named, instead of a JSON dead end.
      const back =
        isFormPost && error instanceof AppError && error.code === 'validation_error'
          ? this.backTo(request, error)
          : null;
      if (!back) throw error;
      response.redirect(303, back);
    }
  }

  private endpointUrl(opaque: string, slug: string): string {
    return `${this.config.publicUrl}/api/${opaque}/f/${slug}`;
  }

  /**
   * Resolves the endpoint and answers CORS for it: any origin when the form lists none,
   * else only the listed ones. Errors before the form is known (bad or gone endpoint) are
   * readable from any origin, so a developer sees the 401/404 rather than a CORS failure.
   */
  private async resolve(
    opaque: string,
    request: Request,
    response: Response,
  ): Promise<PublishedForm> {
    response.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id');
    // Responses here are meant to be read by the page that posted, on another origin.
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    const published = await this.published.resolve(opaque).catch((error: unknown) => {
      response.setHeader('Access-Control-Allow-Origin', '*');
      throw error;
    });
    const { allowedOrigins } = published.form;
    const origin = request.headers.origin;
    if (allowedOrigins.length === 0) {
      response.setHeader('Access-Control-Allow-Origin', '*');
    } else if (origin && originAllowed(allowedOrigins, origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.vary('Origin');
    }
    return published;
  }

  private backTo(request: Request, error: AppError): string | null {
    const referer = request.headers.referer;
    if (!referer || !URL.canParse(referer) || !/^https?:$/.test(new URL(referer).protocol))
      return null;
    const url = new URL(referer);
    url.searchParams.set('intake_error', error.code);
    url.searchParams.set('intake_fields', Object.keys(error.options.details ?? {}).join(','));
    return url.toString();
  }
}
