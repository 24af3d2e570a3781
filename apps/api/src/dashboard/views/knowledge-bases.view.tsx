import { KNOWLEDGE_BASE_MAX_CONTENT, type KnowledgeBaseOutput } from '@intake/forms';
import { PAGES } from '../dashboard-paths';
import type { FormProblem } from '../page-forms';
import { CsrfField, Field, Notice, PostButton, ProblemSummary, TextArea } from './components';
import { formatTime } from './format';
import { Layout, type Viewer } from './layout';

export interface KnowledgeBaseValues {
  name: string;
  content: string;
}

interface KnowledgeBasesProps {
  viewer: Viewer;
  knowledgeBases: KnowledgeBaseOutput[];
  values: KnowledgeBaseValues;
  problem?: FormProblem | null;
  notice?: string | null;
}

/** What smart replies may draw on: the list and a new one. */
export function KnowledgeBasesView({
  viewer,
  knowledgeBases,
  values,
  problem,
  notice,
}: KnowledgeBasesProps) {
  return (
    <Layout title="Knowledge bases" viewer={viewer} section="knowledge-bases">
      <h1>Knowledge bases</h1>
      <Notice>{notice}</Notice>
      <p>
        Smart replies answer from a knowledge base: your FAQ, prices, opening hours. A form uses one
        if you choose it in the form’s settings.
      </p>
      {knowledgeBases.length === 0 ? (
        <p class="empty">No knowledge bases yet.</p>
      ) : (
        <ul class="cards">
          {knowledgeBases.map((knowledgeBase) => (
            <li class="card">
              <h2 class="card-title">
                <a href={PAGES.knowledgeBase(knowledgeBase.id)}>{knowledgeBase.name}</a>
              </h2>
              <p class="meta">
                {knowledgeBase.content.length} characters · updated{' '}
                {formatTime(knowledgeBase.updated_at)}
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-knowledge-base">New knowledge base</h2>
      <KnowledgeBaseForm
        viewer={viewer}
        action={PAGES.knowledgeBases}
        values={values}
        problem={problem}
        button="Create"
      />
    </Layout>
  );
}

interface KnowledgeBaseProps {
  viewer: Viewer;
  knowledgeBase: KnowledgeBaseOutput;
  values: KnowledgeBaseValues;
  problem?: FormProblem | null;
}

/** One knowledge base: edit or delete. */
export function KnowledgeBaseView({ viewer, knowledgeBase, values, problem }: KnowledgeBaseProps) {
  return (
    <Layout title={knowledgeBase.name} viewer={viewer} section="knowledge-bases">
      <p>
        <a href={PAGES.knowledgeBases}>← Knowledge bases</a>
      </p>
      <h1>{knowledgeBase.name}</h1>
      <KnowledgeBaseForm
        viewer={viewer}
        action={PAGES.knowledgeBase(knowledgeBase.id)}
        values={values}
        problem={problem}
        button="Save"
      />
      <h2>Delete</h2>
      <p>Forms that use it stop drafting smart replies.</p>
      <PostButton
        action={PAGES.knowledgeBaseDelete(knowledgeBase.id)}
        csrf={viewer.csrf}
        label="Delete knowledge base"
        variant="danger"
        confirm="Delete this knowledge base? Forms using it stop drafting smart replies."
      />
    </Layout>
  );
}

function KnowledgeBaseForm(props: {
  viewer: Viewer;
  action: string;
  values: KnowledgeBaseValues;
  problem?: FormProblem | null;
  button: string;
}) {
  return (
    <>
      <ProblemSummary problem={props.problem} />
      <form method="post" action={props.action} class="stack editor">
        <CsrfField token={props.viewer.csrf} />
        <Field
          name="name"
          label="Name"
          value={props.values.name}
          required
          maxLength={100}
          problem={props.problem}
        />
        <TextArea
          name="content"
          label="Content"
          value={props.values.content}
          rows={16}
          maxLength={KNOWLEDGE_BASE_MAX_CONTENT}
          hint={`Plain text, up to ${KNOWLEDGE_BASE_MAX_CONTENT.toLocaleString('en')} characters.`}
          problem={props.problem}
        />
        <div>
          <button type="submit" class="button primary">
            {props.button}
          </button>
        </div>
      </form>
    </>
  );
}
