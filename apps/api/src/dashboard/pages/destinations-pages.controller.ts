import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  Client,
  CurrentSession,
  SessionAuth,
  type ActiveSession,
  type ClientContext,
} from '@intake/auth';
import { paginationQuery, uuidParam } from '@intake/common';
import {
  createDestinationInput,
  DeliveryLogService,
  DestinationSecretService,
  DestinationsService,
  toDestinationOutput,
  type DestinationWithSecretOutput,
} from '@intake/destinations';
import { FormsService } from '@intake/forms';
import { DashboardPage } from '../dashboard-page.decorator';
import { PAGES } from '../dashboard-paths';
import { sendPage } from '../page';
import {
  formInput,
  formProblem,
  pageQuery,
  queryInput,
  sessionForm,
  type FormProblem,
} from '../page-forms';
import { Viewers } from '../viewers';
import {
  DeliveriesView,
  DestinationsView,
  type DestinationFormValues,
} from '../views/destinations.view';
import { SecretOnceView } from '../views/secret-once.view';

const formId = uuidParam('Form');
const destinationId = uuidParam('Destination');
const deliveryId = uuidParam('Delivery');

const NOTICES = {
  added: 'Destination added.',
  removed: 'Destination removed.',
  enabled: 'Destination re-enabled: deliveries resume with the next submission.',
  redelivered: 'Delivery queued again.',
} as const;
type Notice = keyof typeof NOTICES;
const noticeQuery = z
  .enum(Object.keys(NOTICES) as [Notice])
  .optional()
  .catch(undefined);

const listQuery = z.object({ notice: noticeQuery });
const logQuery = pageQuery(
  paginationQuery(1_000_000).pick({ page: true }).extend({ notice: noticeQuery }),
);
const newDestinationForm = sessionForm({
  type: z.string().max(20),
  name: z.string().max(1_000),
  url: z.string().max(5_000),
  include_spam: z.literal('on').optional(),
});
const EMPTY_FORM: DestinationFormValues = {
  type: 'webhook',
  name: '',
  url: '',
  include_spam: false,
};
const LOG_PAGE_SIZE = 20;

/** A form's destinations and each one's delivery log. */
@Controller('forms/:formId/destinations')
@DashboardPage()
@SessionAuth()
export class DestinationsPagesController {
  constructor(
    private readonly forms: FormsService,
    private readonly destinations: DestinationsService,
    private readonly secrets: DestinationSecretService,
    private readonly log: DeliveryLogService,
    private readonly viewers: Viewers,
  ) {}

  @Get()
  async list(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { notice } = queryInput(listQuery, query);
    await this.render(
      response,
      session,
      form,
      200,
      EMPTY_FORM,
      null,
      notice ? NOTICES[notice] : null,
    );
  }

  @Post()
  async create(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    let values = EMPTY_FORM;
    try {
      const { _csrf: _token, include_spam, ...posted } = formInput(newDestinationForm, body);
      values = { ...posted, include_spam: include_spam === 'on' };
      const input = formInput(createDestinationInput, values);
      const destination = await this.destinations.create(session.userId, form, input, client);
      await this.afterSecret(response, session, form, destination, 'added');
    } catch (error) {
      const problem = formProblem(error, response);
      await this.render(response, session, form, problem.status, values, problem, null);
    }
  }

  @Post(':destinationId/delete')
  async remove(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('destinationId', destinationId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.destinations.delete(session.userId, form, id, client);
    response.redirect(303, `${PAGES.destinations(form)}?notice=removed`);
  }

  /** Re-enables a disabled destination (its failure count starts again from 0). */
  @Post(':destinationId/enable')
  async enable(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('destinationId', destinationId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.destinations.enable(session.userId, form, id, client);
    response.redirect(303, `${PAGES.destinations(form)}?notice=enabled`);
  }

  @Post(':destinationId/regenerate-secret')
  async regenerateSecret(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('destinationId', destinationId) id: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    const destination = await this.secrets.regenerate(session.userId, form, id, client);
    await this.afterSecret(response, session, form, destination, 'added');
  }

  @Get(':destinationId')
  async deliveries(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('destinationId', destinationId) id: string,
    @Query() query: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const { page, notice } = queryInput(logQuery, query);
    const [formOutput, destination, log, viewer] = await Promise.all([
      this.forms.get(session.userId, form),
      this.destinations.find(session.userId, form, id),
      this.log.list(session.userId, form, id, page, LOG_PAGE_SIZE),
      this.viewers.of(session),
    ]);
    sendPage(
      response,
      200,
      DeliveriesView({
        viewer,
        form: formOutput,
        destination: toDestinationOutput(destination),
        deliveries: log.deliveries,
        meta: log.meta,
        notice: notice ? NOTICES[notice] : null,
      }),
    );
  }

  @Post(':destinationId/deliveries/:deliveryId/redeliver')
  async redeliver(
    @CurrentSession() session: ActiveSession,
    @Param('formId', formId) form: string,
    @Param('destinationId', destinationId) id: string,
    @Param('deliveryId', deliveryId) delivery: string,
    @Body() body: unknown,
    @Client() client: ClientContext,
    @Res() response: Response,
  ): Promise<void> {
    formInput(sessionForm({}), body);
    await this.log.redeliver(session.userId, form, id, delivery, client);
    response.redirect(303, `${PAGES.destination(form, id)}?notice=redelivered`);
  }

  /** A webhook's signing secret is shown once; other destinations go straight back. */
  private async afterSecret(
    response: Response,
    session: ActiveSession,
    form: string,
    destination: DestinationWithSecretOutput,
    notice: Notice,
  ): Promise<void> {
    if (!destination.secret) {
      response.redirect(303, `${PAGES.destinations(form)}?notice=${notice}`);
      return;
    }
    sendPage(
      response,
      200,
      SecretOnceView({
        viewer: await this.viewers.of(session),
        section: 'forms',
        title: `Signing secret of “${destination.name}”`,
        explanation: 'The receiver verifies each webhook with this secret (Standard Webhooks).',
        secret: destination.secret,
        continueHref: PAGES.destinations(form),
        continueLabel: 'Back to destinations',
      }),
    );
  }

  private async render(
    response: Response,
    session: ActiveSession,
    form: string,
    status: number,
    values: DestinationFormValues,
    problem: FormProblem | null,
    notice: string | null,
  ): Promise<void> {
    const [formOutput, destinations, viewer] = await Promise.all([
      this.forms.get(session.userId, form),
      this.destinations.list(session.userId, form),
      this.viewers.of(session),
    ]);
    sendPage(
      response,
      status,
      DestinationsView({ viewer, form: formOutput, destinations, values, problem, notice }),
    );
  }
}
