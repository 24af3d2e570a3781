import { z } from 'zod';
import { createDestinationInput, DELIVERY_FAILURE_REASONS } from '@intake/destinations';
import type { RouteDoc } from '../openapi/openapi.route-types';
import { ref, type JsonSchema } from '../openapi/openapi.schemas';

/**
 * The OpenAPI entries of the destination routes, kept beside their controllers. To be
 * spread into ROUTES (openapi.routes.ts), with a `Destinations` entry in TAGS.
 */
const json = (schema: JsonSchema) => ({ 'application/json': schema });
const nullable = (type: string, extra: JsonSchema = {}): JsonSchema => ({
  type: [type, 'null'],
  ...extra,
});
const object = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: false,
});
const uuid = { type: 'string', format: 'uuid' };
const timestamp = { type: 'string', format: 'date-time' };

const destination = object({
  id: uuid,
  type: { enum: ['webhook', 'slack', 'discord'] },
  name: { type: 'string' },
  url: { type: 'string', description: 'A credential for Slack and Discord: keep it private.' },
  enabled: { type: 'boolean' },
  include_spam: { type: 'boolean' },
  last_delivered_at: nullable('string', { format: 'date-time' }),
  failure_count: { type: 'integer', minimum: 0, description: 'Consecutive failed deliveries.' },
  last_error: nullable('string'),
  disabled_at: nullable('string', { format: 'date-time' }),
  created_at: timestamp,
});
const withSecret: JsonSchema = {
  ...destination,
  properties: {
    ...(destination.properties as Record<string, JsonSchema>),
    secret: {
      type: 'string',
      pattern: '^whsec_',
      description: 'Webhooks only, in this answer only: the Standard Webhooks signing secret.',
    },
  },
};
const attempt = object({
  attempt: { type: 'integer', minimum: 1 },
  status: nullable('integer'),
  latency_ms: nullable('integer'),
  error_code: nullable('string', {
    description: `One of ${[...Object.keys(DELIVERY_FAILURE_REASONS), 'secret_unavailable', 'internal_error', 'interrupted'].join(', ')}.`,
  }),
  error: nullable('string'),
  response: nullable('string', { maxLength: 1000 }),
  created_at: timestamp,
});
const delivery = object({
  id: uuid,
  submission_id: uuid,
  event_id: { type: 'string', pattern: '^evt_', description: 'The `webhook-id`.' },
  status: { enum: ['pending', 'delivered', 'failed'] },
  next_attempt_at: nullable('string', { format: 'date-time' }),
  attempts: { type: 'array', items: attempt },
  created_at: timestamp,
  updated_at: timestamp,
});

const uuidParameter = (what: string) => ({
  description: `${what} id (UUID). A malformed id is 404, like an unknown one.`,
  schema: uuid,
});
const FORM = { form_id: uuidParameter('Form') };
const DESTINATION = { ...FORM, id: uuidParameter('Destination') };
const RATE = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
const base = '/api/forms/{form_id}/destinations';
const common: Pick<RouteDoc, 'tag' | 'auth' | 'throttled'> = {
  tag: 'Destinations',
  auth: { kind: 'api_key', scopes: ['destinations:write'] },
  throttled: true,
};
const one = (description: string, schema: JsonSchema = destination) => ({
  description,
  content: json(object({ destination: schema })),
  headers: RATE,
});

export const DESTINATION_ROUTES: RouteDoc[] = [
  {
    ...common,
    method: 'get',
    path: base,
    operationId: 'listDestinations',
    summary: 'List a form’s destinations',
    description: 'Needs `destinations:write`: destination URLs are credentials.',
    pathParameters: FORM,
    responses: {
      '200': {
        description: 'Oldest first.',
        content: json(object({ destinations: { type: 'array', items: destination } })),
        headers: RATE,
      },
    },
  },
  {
    ...common,
    method: 'post',
    path: base,
    operationId: 'createDestination',
    summary: 'Add a destination',
    description:
      'The URL must be https and resolve to public addresses only (422 on `url`); Slack ' +
      'URLs must be on hooks.slack.com, Discord ones on discord.com/api/webhooks. A webhook ' +
      'destination’s `secret` is returned in this answer only.',
    pathParameters: FORM,
    body: {
      content: json(z.toJSONSchema(createDestinationInput, { io: 'input' })),
      required: true,
    },
    responses: { '201': one('Created.', withSecret) },
  },
  {
    ...common,
    method: 'delete',
    path: `${base}/{id}`,
    operationId: 'deleteDestination',
    summary: 'Delete a destination and its delivery log',
    pathParameters: DESTINATION,
    responses: { '200': one('Deleted.') },
  },
  {
    ...common,
    method: 'post',
    path: `${base}/{id}/regenerate-secret`,
    operationId: 'regenerateDestinationSecret',
    summary: 'Replace a webhook destination’s secret',
    description: 'The old secret stops signing at once. Slack and Discord destinations: 422.',
    pathParameters: DESTINATION,
    responses: { '200': one('The new secret, in this answer only.', withSecret) },
    errors: ['invalid_destination_type'],
  },
  {
    ...common,
    method: 'post',
    path: `${base}/{id}/enable`,
    operationId: 'enableDestination',
    summary: 'Re-enable a destination',
    description: 'Resets `failure_count`; deliveries that waited while it was disabled resume.',
    pathParameters: DESTINATION,
    responses: { '200': one('Enabled.') },
  },
  {
    ...common,
    method: 'get',
    path: `${base}/{id}/deliveries`,
    operationId: 'listDeliveries',
    summary: 'A destination’s delivery log',
    description: 'Newest first, each delivery with every attempt.',
    pathParameters: DESTINATION,
    query: 'listForms',
    responses: {
      '200': {
        description: 'One page.',
        content: json(
          object({ deliveries: { type: 'array', items: delivery }, meta: ref('PageMeta') }),
        ),
        headers: RATE,
      },
    },
  },
  {
    ...common,
    method: 'post',
    path: `${base}/{id}/deliveries/{delivery_id}/redeliver`,
    operationId: 'redeliver',
    summary: 'Send a finished delivery again',
    description:
      'The same delivery goes back to pending with a fresh round of 3 attempts, keeping its ' +
      'log and its event id (`webhook-id`): it is the same event. 409 while it is pending or ' +
      'the destination is disabled.',
    pathParameters: { ...DESTINATION, delivery_id: uuidParameter('Delivery') },
    responses: {
      '202': {
        description: 'Queued.',
        content: json(object({ delivery })),
        headers: RATE,
      },
    },
    errors: ['conflict'],
  },
];
