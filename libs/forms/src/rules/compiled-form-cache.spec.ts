import { Test } from '@nestjs/testing';
import { CompiledFormCache, DEFAULT_COMPILED_FORM_CACHE_CAPACITY } from './compiled-form-cache';
import type { FieldsSchema } from './fields-schema';

const schema: FieldsSchema = {
  fields: [{ name: 'a', type: 'string', rules: [{ op: 'required' }] }],
};

describe('CompiledFormCache', () => {
  it('compiles once per version and returns the same validator', () => {
    const cache = new CompiledFormCache();
    const first = cache.get('v1', schema);
    expect(cache.get('v1', schema)).toBe(first);
    expect(cache.get('v2', schema)).not.toBe(first);
    expect(first.validate({}, 'json')).toEqual({ ok: false, errors: { a: ['is required'] } });
  });

  it('evicts the least recently used version past its capacity', () => {
    const cache = new CompiledFormCache(2);
    const v1 = cache.get('v1', schema);
    const v2 = cache.get('v2', schema);
    cache.get('v1', schema); // v1 is now the most recently used
    cache.get('v3', schema);
    expect(cache.size).toBe(2);
    expect(cache.get('v1', schema)).toBe(v1);
    expect(cache.get('v2', schema)).not.toBe(v2);
  });

  it('is a Nest provider with the default capacity', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [CompiledFormCache] }).compile();
    expect(moduleRef.get(CompiledFormCache).capacity).toBe(DEFAULT_COMPILED_FORM_CACHE_CAPACITY);
  });
});
