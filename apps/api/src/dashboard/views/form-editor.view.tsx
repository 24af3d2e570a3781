import {
  CONDITION_COMPARATORS,
  FIELD_TYPES,
  RULE_OPS,
  type KnowledgeBaseOutput,
} from '@intake/forms';
import { PAGES } from '../dashboard-paths';
import type { FormEditorValues } from '../form-editor.input';
import type { FormProblem } from '../page-forms';
import { Checkbox, CsrfField, Field, ProblemSummary, Select, TextArea } from './components';
import { Layout, type Viewer } from './layout';

interface FormEditorProps {
  viewer: Viewer;
  /** Absent: a new form. */
  formId?: string;
  values: FormEditorValues;
  knowledgeBases: KnowledgeBaseOutput[];
  problem?: FormProblem | null;
}

/** What form-builder.js offers, from the API's own schema. */
const BUILDER_VOCABULARY = JSON.stringify({
  types: FIELD_TYPES,
  ops: RULE_OPS,
  comparators: CONDITION_COMPARATORS,
});

/**
 * Creating and editing a form: every setting of API.md's form, one plain form. Fields and
 * rules are the API's JSON (`fields_schema`), checked by the API's own schema, whose
 * messages name the field and rule at fault; with scripts on, form-builder.js edits that JSON
 * through rows of fields and rules.
 */
export function FormEditorView({
  viewer,
  formId,
  values,
  knowledgeBases,
  problem,
}: FormEditorProps) {
  const title = formId ? `Edit ${values.name || 'form'}` : 'New form';
  return (
    <Layout title={title} viewer={viewer} section="forms" fieldsBuilder>
      <h1>{title}</h1>
      <ProblemSummary problem={problem} />
      <form
        method="post"
        action={formId ? PAGES.formEdit(formId) : PAGES.formNew}
        class="stack editor"
      >
        <CsrfField token={viewer.csrf} />
        <fieldset>
          <legend>Basics</legend>
          <Field
            name="name"
            label="Name"
            value={values.name}
            required
            maxLength={100}
            problem={problem}
          />
          <Field
            name="slug"
            label="Slug"
            value={values.slug}
            required
            maxLength={64}
            hint="Lowercase letters, digits and single hyphens; it ends the endpoint URL, e.g. contact-us."
            problem={problem}
          />
          <Select
            name="visibility"
            label="Visibility"
            value={values.visibility}
            options={[
              { value: 'public', label: 'Public: anyone may post' },
              { value: 'private', label: 'Private: posts need the submission token' },
            ]}
            problem={problem}
          />
          <Checkbox
            name="enabled"
            label="Accepting submissions"
            checked={values.enabled === 'on'}
          />
        </fieldset>

        <fieldset>
          <legend>Fields and rules</legend>
          <TextArea
            name="fields_schema"
            label="Fields (JSON)"
            value={values.fields_schema}
            rows={14}
            code
            data={{ 'data-fields-builder': BUILDER_VOCABULARY }}
            hint={`{"fields": [{"name", "type", "rules": [{"op", ...}]}]}. Types: ${FIELD_TYPES.join(', ')}. Rules: ${RULE_OPS.join(', ')}; each may have a "when" condition. Changing the fields creates a new version with a new endpoint; old endpoints keep working.`}
            problem={problem}
          />
        </fieldset>

        <fieldset>
          <legend>Spam</legend>
          <Checkbox
            name="spam_protection_enabled"
            label="Check submissions for spam"
            checked={values.spam_protection_enabled === 'on'}
          />
          <Select
            name="spam_protection_strategy"
            label="Spam check"
            value={values.spam_protection_strategy}
            options={[
              { value: 'standard', label: 'Standard (rules, no AI)' },
              { value: 'intelligent', label: 'Intelligent (standard, then AI)' },
            ]}
            problem={problem}
          />
          <TextArea
            name="intent"
            label="What the form is for"
            value={values.intent}
            maxLength={1000}
            hint="Helps the AI spam check tell real messages from spam. Optional."
            problem={problem}
          />
        </fieldset>

        <fieldset>
          <legend>AI</legend>
          <Checkbox
            name="localisation_enabled"
            label="Detect the language and translate submissions"
            checked={values.localisation_enabled === 'on'}
          />
          <Checkbox
            name="smart_reply_enabled"
            label="Draft replies from a knowledge base"
            checked={values.smart_reply_enabled === 'on'}
          />
          <Select
            name="smart_replies_mode"
            label="Replies"
            value={values.smart_replies_mode}
            options={[
              { value: 'draft', label: 'Drafts for me to review' },
              { value: 'auto', label: 'Sent automatically' },
            ]}
            problem={problem}
          />
          <Field
            name="smart_reply_email_field"
            label="Reply to the address in field"
            value={values.smart_reply_email_field}
            maxLength={64}
            hint="The name of an email field of the form."
            problem={problem}
          />
          <Select
            name="knowledge_base_id"
            label="Knowledge base"
            value={values.knowledge_base_id}
            options={[
              { value: '', label: 'None' },
              ...knowledgeBases.map((knowledgeBase) => ({
                value: knowledgeBase.id,
                label: knowledgeBase.name,
              })),
            ]}
            problem={problem}
          />
        </fieldset>

        <fieldset>
          <legend>Where submissions come from and go</legend>
          <TextArea
            name="allowed_origins"
            label="Allowed origins"
            value={values.allowed_origins}
            hint="One per line, e.g. https://example.com. Empty: any site may post."
            problem={problem}
          />
          <Field
            name="redirect_url"
            label="Redirect after a plain HTML form post"
            type="url"
            value={values.redirect_url}
            hint="Empty: Intake's thank-you page."
            problem={problem}
          />
          <TextArea
            name="notify_emails"
            label="E-mail each submission to"
            value={values.notify_emails}
            hint="One address per line. Optional."
            problem={problem}
          />
        </fieldset>

        <fieldset>
          <legend>Retention and limits</legend>
          <Field
            name="retention_days"
            label="Keep submissions for (days)"
            type="number"
            value={values.retention_days}
            hint="Empty: keep until deleted."
            problem={problem}
          />
          <Field
            name="ip_rate_limit"
            label="Accepted submissions per minute per IP"
            type="number"
            value={values.ip_rate_limit}
            required
            hint="0: no per-IP limit."
            problem={problem}
          />
        </fieldset>

        <div class="actions">
          <button type="submit" class="button primary">
            {formId ? 'Save changes' : 'Create form'}
          </button>
          <a class="button secondary" href={formId ? PAGES.form(formId) : PAGES.home}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}
