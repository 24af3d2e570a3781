import type { PageMeta } from '@intake/common';
import type { FormSummaryOutput } from '@intake/forms';
import { PAGES } from '../dashboard-paths';
import { Notice, Pagination } from './components';
import { formatTime } from './format';
import { Layout, type Viewer } from './layout';

interface FormsListProps {
  viewer: Viewer;
  forms: FormSummaryOutput[];
  meta: PageMeta;
  notice?: string | null;
}

/** The owner's forms with their submission counts: the dashboard's home. */
export function FormsListView({ viewer, forms, meta, notice }: FormsListProps) {
  return (
    <Layout title="Forms" viewer={viewer} section="forms">
      <div class="page-heading">
        <h1>Forms</h1>
        <a class="button primary" href={PAGES.formNew}>
          New form
        </a>
      </div>
      <Notice>{notice}</Notice>
      {forms.length === 0 ? (
        <p class="empty">No forms yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive">
            <caption class="visually-hidden">Your forms, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Slug</th>
                <th scope="col">Visibility</th>
                <th scope="col" class="numeric">
                  Submissions
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {forms.map((form) => (
                <tr>
                  <th scope="row" data-label="Name">
                    <a href={PAGES.form(form.id)}>{form.name}</a>
                  </th>
                  <td data-label="Slug">
                    <code>{form.slug}</code>
                  </td>
                  <td data-label="Visibility">{form.visibility}</td>
                  <td data-label="Submissions" class="numeric">
                    {form.submission_count}
                  </td>
                  <td data-label="Created">{formatTime(form.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        page={meta.current_page}
        totalPages={meta.total_pages}
        hrefFor={(page) => `${PAGES.home}?page=${page}`}
      />
    </Layout>
  );
}
