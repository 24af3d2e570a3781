import { Injectable, Optional } from '@nestjs/common';
import { compileFieldsSchema, type CompiledForm } from './compile';
import type { FieldsSchema } from './fields-schema';

export const DEFAULT_COMPILED_FORM_CACHE_CAPACITY = 5_000;

/**
 * Compiled validators by form version id, so that a schema's regexes and closures are built
 * once per process rather than once per submission. Form versions are immutable (a schema
 * change makes a new version), so an entry never goes stale and nothing is invalidated;
 * the bound only caps memory, evicting the least recently used version.
 */
@Injectable()
export class CompiledFormCache {
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest first.
  private readonly entries = new Map<string, CompiledForm>();
  readonly capacity: number;

  constructor(@Optional() capacity?: number) {
    this.capacity = capacity ?? DEFAULT_COMPILED_FORM_CACHE_CAPACITY;
  }

  /** The validator of `versionId`, compiling `schema` on a miss. */
  get(versionId: string, schema: FieldsSchema): CompiledForm {
    const cached = this.entries.get(versionId);
    if (cached) {
      this.entries.delete(versionId);
      this.entries.set(versionId, cached);
      return cached;
    }
    const compiled = compileFieldsSchema(schema);
    this.entries.set(versionId, compiled);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }
}
