import { BROWSER_PATHS } from '@intake/auth';
import { Layout } from './layout';

const TITLES: Record<number, string> = {
  400: 'This request is incomplete',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Nothing changed',
  413: 'Too large',
  415: 'Not a form post',
  429: 'Too many requests',
  503: 'Unavailable, please retry shortly',
};

interface ErrorPageProps {
  status: number;
  message: string;
  /** The request id, for failures that are ours. */
  reference: string | null;
}

export function ErrorPage({ status, message, reference }: ErrorPageProps) {
  const title = TITLES[status] ?? 'Something went wrong';
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      {reference && <p>Reference: {reference}</p>}
      <p>
        <a href={BROWSER_PATHS.dashboard}>Back to your forms</a>
      </p>
    </Layout>
  );
}
