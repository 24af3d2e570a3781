import { DESTINATION_ROUTES } from '../destinations/destinations.openapi';
import { ACCOUNT_TOKEN_ROUTES } from './routes/account-tokens.routes';
import { ACCOUNT_ROUTES } from './routes/account.routes';
import { AUDIT_AND_ACCOUNT_ROUTES } from './routes/audit-and-account.routes';
import { FORM_ROUTES } from './routes/forms.routes';
import { MCP_ROUTES } from './routes/mcp.routes';
import { OAUTH_ROUTES } from './routes/oauth.routes';
import { SOCIAL_ROUTES } from './routes/social.routes';
import { SUBMISSION_ROUTES } from './routes/submissions.routes';
import { TWO_FACTOR_ROUTES } from './routes/two-factor.routes';
import type { RouteDoc } from './openapi.route-types';

export type * from './openapi.route-types';

/** Every documented operation; the OpenAPI test checks this against the routes Nest serves. */
export const ROUTES: RouteDoc[] = [
  ...ACCOUNT_ROUTES,
  ...AUDIT_AND_ACCOUNT_ROUTES,
  ...ACCOUNT_TOKEN_ROUTES,
  ...TWO_FACTOR_ROUTES,
  ...SOCIAL_ROUTES,
  ...FORM_ROUTES,
  ...SUBMISSION_ROUTES,
  ...DESTINATION_ROUTES,
  ...MCP_ROUTES,
  ...OAUTH_ROUTES,
];
