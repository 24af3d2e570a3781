import { isAllowedRedirectUri } from './redirect-uri-policy';

describe('isAllowedRedirectUri', () => {
  it.each([
    'https://claude.ai/api/mcp/auth_callback',
    'https://app.example:8443/cb?x=1',
    'http://127.0.0.1:33418/callback',
    'http://localhost/callback',
    'http://[::1]:9000/cb',
  ])('allows %s', (uri) => {
    expect(isAllowedRedirectUri(uri)).toBe(true);
  });

  it.each([
    'http://app.example/cb',
    'http://127.0.0.2/cb',
    'http://localhost.evil.example/cb',
    'http://[::ffff:127.0.0.1]/cb',
    'cursor://anysphere.cursor-retrieval/oauth/callback',
    'javascript:alert(1)',
    'data:text/html,x',
    'https://app.example/cb#fragment',
    'https://user:pass@app.example/cb',
    '/relative/cb',
    '',
    'not a url',
  ])('refuses %s', (uri) => {
    expect(isAllowedRedirectUri(uri)).toBe(false);
  });
});
