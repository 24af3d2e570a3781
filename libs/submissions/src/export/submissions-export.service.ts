import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuditService, type AuditClient } from '@intake/audit';
import type { Attachment } from '@intake/common';
import type { Submission } from '@intake/database';
import { currentVersionOf, FormsService } from '@intake/forms';
import { toSubmissionOutput, type SubmissionOutput } from '../submission.output';
import type { ExportSubmissionsQuery, SubmissionFilters } from '../submissions.query';
import { SubmissionsRepository } from '../submissions.repository';
import { csvLayout } from './export-columns';
import { submissionsInBatches } from './submission-batches';

/** Inbox and spam alike: the account export hands over everything. */
const EVERY_SUBMISSION: SubmissionFilters = { filter: 'all' };

@Injectable()
export class SubmissionsExportService {
  constructor(
    private readonly repository: SubmissionsRepository,
    private readonly forms: FormsService,
    private readonly audit: AuditService,
  ) {}

  /** Proves ownership (404 otherwise) and records the export before any byte is sent. */
  async open(
    ownerId: string,
    formId: string,
    query: ExportSubmissionsQuery,
    client: AuditClient,
  ): Promise<Attachment> {
    const form = await this.forms.find(ownerId, formId);
    const { format, ...filters } = query;
    await this.audit.record({
      actorId: ownerId,
      action: 'submissions.exported',
      target: { type: 'form', id: form.id },
      client,
      metadata: { format },
    });
    const submissions = () => submissionsInBatches(this.repository, ownerId, form.id, filters);
    if (format === 'ndjson') {
      return {
        contentType: 'application/x-ndjson',
        filename: `${form.slug}-submissions.ndjson`,
        writeTo: (destination) => pipeline(Readable.from(ndjsonLines(submissions())), destination),
      };
    }
    const layout = csvLayout(currentVersionOf(form));
    return {
      contentType: 'text/csv; charset=utf-8',
      filename: `${form.slug}-submissions.csv`,
      writeTo: (destination) =>
        pipeline(
          Readable.from(mapRows(submissions(), layout.row)),
          stringify({
            // The BOM makes Excel read UTF-8; escape_formulas prefixes =, +, -, @, tab and CR
            // with a quote (OWASP CSV injection) except on real numbers such as -5.
            bom: true,
            header: true,
            columns: layout.header,
            escape_formulas: true,
            record_delimiter: 'windows',
          }),
          destination,
        ),
    };
  }

  /**
   * Every submission of one of the owner's forms, oldest first, streamed in keyset batches:
   * the account export's part. Queries are scoped to the owner (another owner's form yields
   * nothing); the account export records its own audit entry.
   */
  everySubmission(ownerId: string, formId: string): AsyncGenerator<SubmissionOutput> {
    return mapRows(
      submissionsInBatches(this.repository, ownerId, formId, EVERY_SUBMISSION),
      toSubmissionOutput,
    );
  }
}

async function* mapRows<T>(
  submissions: AsyncIterable<Submission>,
  row: (submission: Submission) => T,
): AsyncGenerator<T> {
  for await (const submission of submissions) yield row(submission);
}

async function* ndjsonLines(submissions: AsyncIterable<Submission>): AsyncGenerator<string> {
  for await (const submission of submissions)
    yield `${JSON.stringify(toSubmissionOutput(submission))}\n`;
}
