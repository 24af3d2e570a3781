import type { PageMeta } from '@intake/common';
import {
  DESTINATION_TYPES,
  type DeliveryOutput,
  type DestinationOutput,
} from '@intake/destinations';
import type { FormOutput } from '@intake/forms';
import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import {
  Checkbox,
  CsrfField,
  Field,
  Notice,
  Pagination,
  PostButton,
  ProblemSummary,
  Select,
} from './components';
import { formatTime } from './format';
import { Layout, type Viewer } from './layout';

export interface DestinationFormValues {
  type: string;
  name: string;
  url: string;
  include_spam: boolean;
}

const TYPE_NAMES: Record<(typeof DESTINATION_TYPES)[number], string> = {
  webhook: 'Webhook (signed, Standard Webhooks)',
  slack: 'Slack incoming webhook',
  discord: 'Discord webhook',
};

function DestinationState({ destination }: { destination: DestinationOutput }) {
  if (destination.enabled) return <span class="badge">Active</span>;
  return (
    <span class="badge spam">
      Disabled{destination.disabled_at ? ` ${formatTime(destination.disabled_at)}` : ''}
    </span>
  );
}

interface DestinationsProps {
  viewer: Viewer;
  form: FormOutput;
  destinations: DestinationOutput[];
  values: DestinationFormValues;
  problem?: FormProblem | null;
  notice?: string | null;
}

/** Where a form's processed submissions go: list, add, re-enable, remove. */
export function DestinationsView({
  viewer,
  form,
  destinations,
  values,
  problem,
  notice,
}: DestinationsProps) {
  return (
    <Layout title={`Destinations of ${form.name}`} viewer={viewer} section="forms">
      <p>
        <a href={PAGES.form(form.id)}>← {form.name}</a>
      </p>
      <h1>Destinations</h1>
      <Notice>{notice}</Notice>
      <p>
        Each processed submission is sent to every active destination. After 3 failed deliveries in
        a row a destination is disabled and you get an e-mail.
      </p>
      {destinations.length === 0 ? (
        <p class="empty">No destinations yet.</p>
      ) : (
        <ul class="cards">
          {destinations.map((destination) => (
            <li class="card">
              <h2 class="card-title" id={`destination-${destination.id}`}>
                <a href={PAGES.destination(form.id, destination.id)}>{destination.name}</a>
                <DestinationState destination={destination} />
              </h2>
              <dl class="facts">
                <dt>Type</dt>
                <dd>{destination.type}</dd>
                <dt>URL</dt>
                <dd>
                  <code>{destination.url}</code>
                </dd>
                <dt>Spam too</dt>
                <dd>{destination.include_spam ? 'yes' : 'no'}</dd>
                <dt>Last delivered</dt>
                <dd>
                  {destination.last_delivered_at
                    ? formatTime(destination.last_delivered_at)
                    : 'never'}
                </dd>
                <dt>Failures in a row</dt>
                <dd>{destination.failure_count}</dd>
                {destination.last_error && (
                  <>
                    <dt>Last error</dt>
                    <dd>{destination.last_error}</dd>
                  </>
                )}
              </dl>
              <div class="actions">
                <a class="button secondary" href={PAGES.destination(form.id, destination.id)}>
                  Delivery log
                </a>
                {!destination.enabled && (
                  <PostButton
                    action={PAGES.destinationAction(form.id, destination.id, 'enable')}
                    csrf={viewer.csrf}
                    label="Re-enable"
                    variant="primary"
                    describedBy={`destination-${destination.id}`}
                  />
                )}
                {destination.type === 'webhook' && (
                  <PostButton
                    action={PAGES.destinationAction(form.id, destination.id, 'regenerate-secret')}
                    csrf={viewer.csrf}
                    label="New signing secret"
                    confirm="Replace the signing secret? The receiver must use the new one from now on."
                    describedBy={`destination-${destination.id}`}
                  />
                )}
                <PostButton
                  action={PAGES.destinationAction(form.id, destination.id, 'delete')}
                  csrf={viewer.csrf}
                  label="Remove"
                  variant="danger"
                  confirm="Remove this destination?"
                  describedBy={`destination-${destination.id}`}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-destination">New destination</h2>
      <ProblemSummary problem={problem} />
      <form
        method="post"
        action={PAGES.destinations(form.id)}
        class="stack editor"
        aria-labelledby="new-destination"
      >
        <CsrfField token={viewer.csrf} />
        <Select
          name="type"
          label="Type"
          value={values.type}
          options={DESTINATION_TYPES.map((type) => ({ value: type, label: TYPE_NAMES[type] }))}
          problem={problem}
        />
        <Field
          name="name"
          label="Name"
          value={values.name}
          required
          maxLength={100}
          problem={problem}
        />
        <Field
          name="url"
          label="URL"
          type="url"
          value={values.url}
          required
          hint="HTTPS. Slack and Discord: the webhook URL they gave you."
          problem={problem}
        />
        <Checkbox name="include_spam" label="Send spam too" checked={values.include_spam} />
        <div>
          <button type="submit" class="button primary">
            Add destination
          </button>
        </div>
      </form>
    </Layout>
  );
}

interface DeliveriesProps {
  viewer: Viewer;
  form: FormOutput;
  destination: DestinationOutput;
  deliveries: DeliveryOutput[];
  meta: PageMeta;
  notice?: string | null;
}

/** One destination's delivery log: every delivery with its attempts, and redelivery. */
export function DeliveriesView({
  viewer,
  form,
  destination,
  deliveries,
  meta,
  notice,
}: DeliveriesProps) {
  return (
    <Layout title={`Deliveries to ${destination.name}`} viewer={viewer} section="forms">
      <p>
        <a href={PAGES.destinations(form.id)}>← Destinations of {form.name}</a>
      </p>
      <h1>
        Deliveries to {destination.name} <DestinationState destination={destination} />
      </h1>
      <Notice>{notice}</Notice>
      {!destination.enabled && (
        <PostButton
          action={PAGES.destinationAction(form.id, destination.id, 'enable')}
          csrf={viewer.csrf}
          label="Re-enable"
          variant="primary"
        />
      )}
      {deliveries.length === 0 ? (
        <p class="empty">Nothing delivered yet.</p>
      ) : (
        <ul class="cards">
          {deliveries.map((delivery) => (
            <li class="card">
              <p class="card-title" id={`delivery-${delivery.id}`}>
                {formatTime(delivery.created_at)}{' '}
                <span class={delivery.status === 'failed' ? 'badge spam' : 'badge'}>
                  {delivery.status}
                </span>
              </p>
              <dl class="facts">
                <dt>Submission</dt>
                <dd>
                  <code>{delivery.submission_id}</code>
                </dd>
                <dt>Event id</dt>
                <dd>
                  <code>{delivery.event_id}</code>
                </dd>
                {delivery.next_attempt_at && (
                  <>
                    <dt>Next attempt</dt>
                    <dd>{formatTime(delivery.next_attempt_at)}</dd>
                  </>
                )}
              </dl>
              {delivery.attempts.length > 0 && (
                <div class="table-wrap">
                  <table class="responsive">
                    <caption class="visually-hidden">Attempts</caption>
                    <thead>
                      <tr>
                        <th scope="col">Attempt</th>
                        <th scope="col">When</th>
                        <th scope="col">Status</th>
                        <th scope="col">Latency</th>
                        <th scope="col">Error</th>
                      </tr>
                    </thead>
                    <tbody>
                      {delivery.attempts.map((attempt) => (
                        <tr>
                          <td data-label="Attempt">{attempt.attempt}</td>
                          <td data-label="When">{formatTime(attempt.created_at)}</td>
                          <td data-label="Status">{attempt.status ?? '—'}</td>
                          <td data-label="Latency">
                            {attempt.latency_ms === null ? '—' : `${attempt.latency_ms} ms`}
                          </td>
                          <td data-label="Error">{attempt.error ?? attempt.error_code ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {delivery.status !== 'pending' && (
                <PostButton
                  action={PAGES.redeliver(form.id, destination.id, delivery.id)}
                  csrf={viewer.csrf}
                  label="Deliver again"
                  describedBy={`delivery-${delivery.id}`}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <Pagination
        page={meta.current_page}
        totalPages={meta.total_pages}
        hrefFor={(page) => `${PAGES.destination(form.id, destination.id)}?page=${page}`}
      />
    </Layout>
  );
}
