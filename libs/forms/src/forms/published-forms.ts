import { Injectable } from '@nestjs/common';
import { AppError } from '@intake/common';
import type { Form, FormVersion } from '@intake/database';
import { OpaqueEndpoints } from '../endpoints/opaque-endpoint';
import { CompiledFormCache, type CompiledForm, type FieldsSchema } from '../rules';
import { FormsRepository, storedFieldsSchema } from './forms.repository';

/** What the public endpoint needs of a form version, resolved once and cached. */
export interface PublishedForm {
  form: Form;
  version: FormVersion;
  fieldsSchema: FieldsSchema;
  compiled: CompiledForm;
}

/**
 * How long a resolved form is trusted without asking the database. Versions are immutable
 * and cached for good (their validators); the form's settings (enabled, token, origins,
 * limits) can change on another instance, so they are re-read after this long. Changes
 * made through this instance take effect at once (`forget`).
 */
const SETTINGS_TTL_MS = 2_000;

interface Entry {
  published: PublishedForm | null;
  expiresAt: number;
}

/** Resolves `/api/{opaque}/f/{slug}` to its form version without a query on most requests. */
@Injectable()
export class PublishedForms {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly endpoints: OpaqueEndpoints,
    private readonly repository: FormsRepository,
    private readonly compiledForms: CompiledFormCache,
  ) {}

  /**
   * 401 `invalid_token` for a forged or malformed segment; 404 `form_not_found` when gone or
   * disabled. Entries are keyed by the verified segment, so a cached one skips the HMAC.
   */
  async resolve(opaque: string): Promise<PublishedForm> {
    const now = Date.now();
    let entry = this.entries.get(opaque);
    if (!entry || entry.expiresAt <= now) {
      const versionId = this.endpoints.decode(opaque);
      if (!versionId) throw new AppError('invalid_token', 'This form endpoint is not valid');
      entry = { published: await this.load(versionId), expiresAt: now + SETTINGS_TTL_MS };
      this.entries.set(opaque, entry);
    }
    if (!entry.published || !entry.published.form.enabled)
      throw new AppError('form_not_found', 'Form not found');
    return entry.published;
  }

  /** Drops a form's cached settings after a change made here. */
  forget(formId: string): void {
    for (const [opaque, entry] of this.entries) {
      if (entry.published?.form.id === formId) this.entries.delete(opaque);
    }
  }

  private async load(versionId: string): Promise<PublishedForm | null> {
    const version = await this.repository.findVersionWithForm(versionId);
    if (!version) return null;
    const { form, ...versionRow } = version;
    const fieldsSchema = storedFieldsSchema(versionRow);
    return {
      form,
      version: versionRow,
      fieldsSchema,
      compiled: this.compiledForms.get(versionId, fieldsSchema),
    };
  }
}
