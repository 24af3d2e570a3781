import { calledTools, missingScopes } from './tool-scopes';

describe('tool scopes', () => {
  it('names the needed scopes a grant lacks, in the needed order', () => {
    expect(missingScopes(['submissions:read', 'ai:use'], ['ai:use', 'forms:read'])).toEqual([
      'submissions:read',
    ]);
    expect(missingScopes(['forms:read'], ['forms:read'])).toEqual([]);
  });

  it('finds the tools a message or a batch calls, and nothing in anything else', () => {
    const call = (name: unknown) => ({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name, arguments: {} },
    });
    expect(calledTools(call('list_forms'))).toEqual(['list_forms']);
    expect(calledTools([call('a'), { jsonrpc: '2.0', method: 'tools/list' }, call('b')])).toEqual([
      'a',
      'b',
    ]);
    for (const body of [
      undefined,
      null,
      'tools/call',
      42,
      [],
      {},
      call(7),
      { method: 'tools/call' },
    ]) {
      expect(calledTools(body)).toEqual([]);
    }
  });
});
