import { CopyBlock } from './components';
import { Layout, type Viewer, type Section } from './layout';

interface SecretOnceProps {
  viewer: Viewer;
  section: Section;
  title: string;
  /** What the secret is and where it goes. */
  explanation: string;
  secret: string;
  continueHref: string;
  continueLabel: string;
}

/**
 * A secret shown once (API key, submission token): only its hash is kept, so this page is
 * the one chance to copy it. Answered to the post itself, never cached.
 */
export function SecretOnceView(props: SecretOnceProps) {
  return (
    <Layout title={props.title} viewer={props.viewer} section={props.section}>
      <h1>{props.title}</h1>
      <p class="notice" role="status">
        {props.explanation} It is shown only now: copy it before you leave this page.
      </p>
      <CopyBlock id="secret" label="Secret" code={props.secret} />
      <p>
        <a class="button primary" href={props.continueHref}>
          {props.continueLabel}
        </a>
      </p>
    </Layout>
  );
}
