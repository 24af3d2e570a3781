import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { createFormInput, FormsService, updateFormInput, type FormOutput } from '@intake/forms';
import { defineTool, type McpTool } from './mcp-tool';
import { formId } from './tool-inputs';

/**
 * A private form's submission token is a secret shown once: it never enters an AI
 * client's context (and so its chat history). The owner makes a new one where secrets
 * belong, in the dashboard or with the API.
 */
function withoutSecret(form: FormOutput) {
  const { submission_token: token, ...shown } = form;
  return token === undefined
    ? shown
    : {
        ...shown,
        submission_token_note:
          'A private form needs a submission token to receive posts. It is never shown through ' +
          'MCP: create one with POST /api/forms/{id}/submission_token or in the dashboard.',
      };
}

/** Forms: list, read, create and change them, as `PUT /api/forms/{id}` does. */
@Injectable()
export class FormTools {
  constructor(private readonly forms: FormsService) {}

  tools(): McpTool[] {
    return [
      defineTool({
        name: 'list_forms',
        title: 'List forms',
        description:
          'Your forms, newest first: id, name, slug, visibility, public endpoint and ' +
          'submission count, with paging metadata.',
        scopes: ['forms:read'],
        input: z.strictObject({
          page: z.int().min(1).max(1_000_000).default(1),
          page_size: z.int().min(1).max(100).default(20),
        }),
        readOnly: true,
        usesAi: false,
        untrusted: false,
        run: ({ page, page_size }, caller) => this.forms.list(caller.ownerId, page, page_size),
      }),
      defineTool({
        name: 'get_form',
        title: 'Get a form',
        description:
          'One form with all its settings: fields schema and rules, spam protection, AI ' +
          'features, knowledge base, allowed origins, retention, and its current endpoint.',
        scopes: ['forms:read'],
        input: z.strictObject({ form_id: formId }),
        readOnly: true,
        usesAi: false,
        untrusted: false,
        run: async ({ form_id }, caller) => ({
          form: await this.forms.get(caller.ownerId, form_id),
        }),
      }),
      defineTool({
        name: 'create_form',
        title: 'Create a form',
        description:
          'Creates a form from the same fields as POST /api/forms (name and slug required; ' +
          'fields_schema lists the fields and their rules). Answers the form with its public ' +
          'endpoint, where anyone can POST submissions as JSON.',
        scopes: ['forms:write'],
        input: createFormInput,
        readOnly: false,
        usesAi: false,
        untrusted: false,
        run: async (input, caller) => ({
          form: withoutSecret(await this.forms.create(caller.ownerId, input, caller.client)),
        }),
      }),
      defineTool({
        name: 'update_form',
        title: 'Update a form',
        description:
          'Changes any subset of a form’s settings; the others keep their values. A changed ' +
          'fields_schema makes a new version with a new endpoint (old endpoints keep working ' +
          'against their own schema).',
        scopes: ['forms:write'],
        input: updateFormInput.extend({ form_id: formId }),
        readOnly: false,
        usesAi: false,
        untrusted: false,
        run: async ({ form_id, ...changes }, caller) => ({
          form: withoutSecret(
            await this.forms.update(caller.ownerId, form_id, changes, caller.client),
          ),
        }),
      }),
    ];
  }
}
