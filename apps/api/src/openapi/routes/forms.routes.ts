import type { RouteDoc } from '../openapi.route-types';
import {
  json,
  object,
  arrayOf,
  page,
  FORM_ID,
  KNOWLEDGE_BASE_ID,
  apiKey,
  RATE,
} from '../openapi.route-helpers';
import { ref } from '../openapi.schemas';

export const FORM_ROUTES: RouteDoc[] = [
  // ------------------------------------------------------------------ forms
  {
    method: 'post',
    path: '/api/forms',
    operationId: 'createForm',
    tag: 'Forms',
    summary: 'Create a form',
    description:
      'A private form gets a submission token (`ik_sub_...`), returned in this answer only. ' +
      'Cross-field rules: `smart_reply_enabled` needs `knowledge_base_id`; ' +
      '`smart_reply_email_field` must name an `email` field; `auto` smart replies need it. ' +
      'A slug already used by another of your forms is 422 on `slug`.',
    auth: apiKey('forms:write'),
    throttled: true,
    body: { content: json(ref('CreateFormInput')), required: true },
    responses: {
      '201': {
        description: 'Created.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/forms',
    operationId: 'listForms',
    tag: 'Forms',
    summary: 'List forms',
    auth: apiKey('forms:read'),
    throttled: true,
    query: 'listForms',
    responses: {
      '200': {
        description: 'One page of forms.',
        content: json(page('forms', ref('FormSummary'))),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/forms/{id}',
    operationId: 'getForm',
    tag: 'Forms',
    summary: 'Get a form',
    auth: apiKey('forms:read'),
    throttled: true,
    pathParameters: FORM_ID,
    responses: {
      '200': {
        description: 'The form.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'put',
    path: '/api/forms/{id}',
    operationId: 'updateForm',
    tag: 'Forms',
    summary: 'Update a form (any subset of its fields)',
    description:
      'Fields left out keep their values. A changed `fields_schema` makes a new `version` with ' +
      'a new `endpoint`; older endpoints keep validating against their own version. Turning a ' +
      'form private returns its first `submission_token` (once); turning it public drops it.',
    auth: apiKey('forms:write'),
    throttled: true,
    pathParameters: FORM_ID,
    body: { content: json(ref('UpdateFormInput')), required: true },
    responses: {
      '200': {
        description: 'The updated form.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'delete',
    path: '/api/forms/{id}',
    operationId: 'deleteForm',
    tag: 'Forms',
    summary: 'Delete a form and its submissions',
    auth: apiKey('forms:write'),
    throttled: true,
    pathParameters: FORM_ID,
    responses: {
      '200': {
        description: 'The deleted form.',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/forms/{id}/submission_token',
    operationId: 'replaceSubmissionToken',
    tag: 'Forms',
    summary: 'Replace a private form’s submission token',
    description: 'The old token stops working at once. A public form has none: 409.',
    auth: apiKey('forms:write'),
    throttled: true,
    pathParameters: FORM_ID,
    responses: {
      '200': {
        description: 'The form with its new `submission_token` (shown once).',
        content: json(object({ form: ref('Form') })),
        headers: RATE,
      },
    },
    errors: ['not_found', 'conflict'],
  },

  // ------------------------------------------------------------------ knowledge bases
  {
    method: 'post',
    path: '/api/knowledge_bases',
    operationId: 'createKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Create a knowledge base',
    auth: apiKey('knowledge_bases:write'),
    throttled: true,
    body: { content: json(ref('CreateKnowledgeBaseInput')), required: true },
    responses: {
      '201': {
        description: 'Created.',
        content: json(object({ knowledge_base: ref('KnowledgeBase') })),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/knowledge_bases',
    operationId: 'listKnowledgeBases',
    tag: 'Knowledge bases',
    summary: 'List knowledge bases',
    description: 'Not paginated.',
    auth: apiKey('knowledge_bases:read'),
    throttled: true,
    responses: {
      '200': {
        description: 'Every knowledge base of the account.',
        content: json(object({ knowledge_bases: arrayOf(ref('KnowledgeBase')) })),
        headers: RATE,
      },
    },
  },
  {
    method: 'get',
    path: '/api/knowledge_bases/{id}',
    operationId: 'getKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Get a knowledge base',
    auth: apiKey('knowledge_bases:read'),
    throttled: true,
    pathParameters: KNOWLEDGE_BASE_ID,
    responses: {
      '200': {
        description: 'The knowledge base.',
        content: json(object({ knowledge_base: ref('KnowledgeBase') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'put',
    path: '/api/knowledge_bases/{id}',
    operationId: 'updateKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Update a knowledge base',
    auth: apiKey('knowledge_bases:write'),
    throttled: true,
    pathParameters: KNOWLEDGE_BASE_ID,
    body: { content: json(ref('UpdateKnowledgeBaseInput')), required: true },
    responses: {
      '200': {
        description: 'The updated knowledge base.',
        content: json(object({ knowledge_base: ref('KnowledgeBase') })),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
  {
    method: 'delete',
    path: '/api/knowledge_bases/{id}',
    operationId: 'deleteKnowledgeBase',
    tag: 'Knowledge bases',
    summary: 'Delete a knowledge base',
    description: 'Smart replies are turned off on every form that used it; their slugs are listed.',
    auth: apiKey('knowledge_bases:write'),
    throttled: true,
    pathParameters: KNOWLEDGE_BASE_ID,
    responses: {
      '200': {
        description:
          'The deleted knowledge base and the forms whose smart replies were turned off.',
        content: json(
          object({
            knowledge_base: ref('KnowledgeBase'),
            smart_reply_disabled_on: arrayOf({ type: 'string', description: 'A form slug.' }),
          }),
        ),
        headers: RATE,
      },
    },
    errors: ['not_found'],
  },
];
