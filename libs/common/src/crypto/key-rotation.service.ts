import { Injectable } from '@nestjs/common';
import { keysetPages } from '../pagination/keyset-batches';
import type { SealedChange, SealedColumn, SealedValue } from './sealed-column';
import { SecretBox } from './secret-box';

export const DEFAULT_ROTATION_BATCH_SIZE = 500;

export interface ResealReport {
  column: string;
  resealed: number;
  /** Already under the current key. */
  current: number;
  /** Unknown key id, tampered, or not a SecretBox value: left exactly as it was. */
  unreadable: number;
  /** Written by someone else between the read and the compare-and-set; theirs stands. */
  changedMeanwhile: number;
}

export interface KeyUsageReport {
  column: string;
  /** How many values each key id seals (ids ENCRYPTION_KEYS no longer lists included). */
  byKeyId: Record<string, number>;
  /** Values that are not SecretBox output at all. */
  unrecognised: number;
}

/**
 * Moves sealed columns to the current key (the first of ENCRYPTION_KEYS) in keyset
 * batches: one read and one compare-and-set statement per batch, so it can run beside
 * live traffic, and be stopped and run again at any point.
 */
@Injectable()
export class KeyRotation {
  constructor(private readonly box: SecretBox) {}

  get currentKeyId(): string {
    return this.box.currentKeyId;
  }

  async reseal<Key>(
    columns: readonly SealedColumn<Key>[],
    batchSize = DEFAULT_ROTATION_BATCH_SIZE,
  ): Promise<ResealReport[]> {
    const reports: ResealReport[] = [];
    for (const column of columns) reports.push(await this.resealColumn(column, batchSize));
    return reports;
  }

  async keyUsage<Key>(
    columns: readonly SealedColumn<Key>[],
    batchSize = DEFAULT_ROTATION_BATCH_SIZE,
  ): Promise<KeyUsageReport[]> {
    const reports: KeyUsageReport[] = [];
    for (const column of columns) {
      const report: KeyUsageReport = { column: column.name, byKeyId: {}, unrecognised: 0 };
      for await (const batch of pagesOf(column, batchSize)) {
        for (const { sealed } of batch) {
          const keyId = this.box.keyIdOf(sealed);
          if (keyId === null) report.unrecognised += 1;
          else report.byKeyId[keyId] = (report.byKeyId[keyId] ?? 0) + 1;
        }
      }
      reports.push(report);
    }
    return reports;
  }

  private async resealColumn<Key>(
    column: SealedColumn<Key>,
    batchSize: number,
  ): Promise<ResealReport> {
    const report = {
      column: column.name,
      resealed: 0,
      current: 0,
      unreadable: 0,
      changedMeanwhile: 0,
    };
    for await (const batch of pagesOf(column, batchSize)) {
      const changes: SealedChange<Key>[] = [];
      for (const value of batch) {
        const outcome = this.box.reseal(value.sealed, value.purpose);
        if (outcome.kind === 'resealed') {
          changes.push({ key: value.key, expected: value.sealed, next: outcome.sealed });
        } else {
          report[outcome.kind] += 1;
        }
      }
      const written = changes.length > 0 ? await column.replace(changes) : 0;
      report.resealed += written;
      report.changedMeanwhile += changes.length - written;
    }
    return report;
  }
}

function pagesOf<Key>(column: SealedColumn<Key>, size: number): AsyncGenerator<SealedValue<Key>[]> {
  return keysetPages(
    (after: Key | null, limit: number) => column.page(after, limit),
    (value) => value.key,
    size,
  );
}
