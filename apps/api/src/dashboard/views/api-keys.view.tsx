import { API_SCOPES, type ApiKeyOutput } from '@intake/auth';
import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import {
  CsrfField,
  Field,
  messagesFor,
  Notice,
  PostButton,
  ProblemSummary,
  TextArea,
} from './components';
import { formatTime } from './format';
import { Layout, type Viewer } from './layout';

export interface ApiKeyFormValues {
  name: string;
  scopes: string[];
  allowed_ips: string;
  expires_on: string;
}

interface ApiKeysProps {
  viewer: Viewer;
  keys: ApiKeyOutput[];
  values: ApiKeyFormValues;
  problem?: FormProblem | null;
  notice?: string | null;
}

/** The owner's API keys (name, prefix and last 4 only), a new key, and revocation. */
export function ApiKeysView({ viewer, keys, values, problem, notice }: ApiKeysProps) {
  const scopeErrors = messagesFor(problem, 'scopes');
  return (
    <Layout title="API keys" viewer={viewer} section="api-keys">
      <h1>API keys</h1>
      <Notice>{notice}</Notice>
      <p>
        Keys call the management API (<code>Authorization: Bearer ik_live_…</code>). Each is shown
        once, when it is made; Intake keeps only its hash.
      </p>
      {keys.length === 0 ? (
        <p class="empty">No API keys yet.</p>
      ) : (
        <ul class="cards">
          {keys.map((key) => (
            <li class="card">
              <h2 class="card-title" id={`key-${key.id}`}>
                {key.name}
              </h2>
              <dl class="facts">
                <dt>Key</dt>
                <dd>
                  <code>
                    {key.prefix}…{key.last4}
                  </code>
                </dd>
                <dt>Scopes</dt>
                <dd>{key.scopes.join(', ')}</dd>
                <dt>Allowed IPs</dt>
                <dd>{key.allowed_ips.length > 0 ? key.allowed_ips.join(', ') : 'any'}</dd>
                <dt>Expires</dt>
                <dd>{key.expires_at ? formatTime(key.expires_at) : 'never'}</dd>
                <dt>Last used</dt>
                <dd>{key.last_used_at ? formatTime(key.last_used_at) : 'never'}</dd>
                <dt>Created</dt>
                <dd>{formatTime(key.created_at)}</dd>
              </dl>
              <PostButton
                action={PAGES.apiKeyRevoke(key.id)}
                csrf={viewer.csrf}
                label="Revoke"
                variant="danger"
                confirm="Revoke this key? Anything using it stops working at once."
                describedBy={`key-${key.id}`}
              />
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-key">New key</h2>
      <ProblemSummary problem={problem} />
      <form method="post" action={PAGES.apiKeys} class="stack editor" aria-labelledby="new-key">
        <CsrfField token={viewer.csrf} />
        <Field
          name="name"
          label="Name"
          value={values.name}
          required
          maxLength={100}
          hint="Where the key is used, e.g. laptop or CI."
          problem={problem}
        />
        <fieldset aria-describedby={scopeErrors.length > 0 ? 'field-scopes-error' : undefined}>
          <legend>Scopes</legend>
          {scopeErrors.length > 0 && (
            <p class="field-error" id="field-scopes-error">
              {scopeErrors.join('; ')}
            </p>
          )}
          {API_SCOPES.map((scope) => (
            <div class="checkbox">
              <input
                id={`scope-${scope}`}
                name="scopes"
                type="checkbox"
                value={scope}
                checked={values.scopes.includes(scope)}
              />
              <label for={`scope-${scope}`}>
                <code>{scope}</code>
              </label>
            </div>
          ))}
        </fieldset>
        <TextArea
          name="allowed_ips"
          label="Allowed IP addresses"
          value={values.allowed_ips}
          hint="One address or CIDR range per line. Empty: any."
          problem={problem}
        />
        <Field
          name="expires_on"
          label="Expires on (UTC, end of day)"
          type="date"
          value={values.expires_on}
          hint="Empty: never."
          problem={problem}
          errorKey="expires_at"
        />
        <div>
          <button type="submit" class="button primary">
            Create key
          </button>
        </div>
      </form>
    </Layout>
  );
}
