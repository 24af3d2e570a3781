import type { INestApplicationContext } from '@nestjs/common';
import { TwoFactorSealedColumns } from '@intake/auth';
import {
  KeyRotation,
  SecretBox,
  type KeyUsageReport,
  type ResealReport,
  type SealedColumn,
} from '@intake/common';
import { AppConfig } from '@intake/config';
import { DestinationSealedColumns } from '@intake/destinations';
import { OAuthSealedColumns } from '@intake/oauth';

/**
 * Runs `work` over each feature's sealed columns in turn (the feature reads and writes its
 * own table; the CLI never does), one column at a time so the load stays one batch.
 */
async function eachFeature<Report>(
  app: INestApplicationContext,
  work: <Key>(columns: readonly SealedColumn<Key>[]) => Promise<Report[]>,
): Promise<Report[]> {
  return [
    ...(await work(app.get(TwoFactorSealedColumns).columns)),
    ...(await work(app.get(DestinationSealedColumns).columns)),
    ...(await work(app.get(OAuthSealedColumns).columns)),
  ];
}

/** `keys rotate`: every sealed value not under the current key, re-sealed under it. */
export function rotateKeys(
  app: INestApplicationContext,
  batchSize: number,
): Promise<ResealReport[]> {
  const rotation = app.get(KeyRotation);
  return eachFeature(app, (columns) => rotation.reseal(columns, batchSize));
}

export interface KeyStatus {
  currentKeyId: string;
  columns: KeyUsageReport[];
  /** Listed in ENCRYPTION_KEYS after the first and sealing no stored value: they may go. */
  unusedKeyIds: string[];
  /** Still sealing stored values although not current: `keys rotate` moves them. */
  olderKeyIdsInUse: string[];
  /** Sealing stored values but configured nowhere: those values do not open. */
  unknownKeyIds: string[];
}

/** `keys status`: per column, how many values each key id seals. */
export async function keyStatus(
  app: INestApplicationContext,
  batchSize: number,
): Promise<KeyStatus> {
  const rotation = app.get(KeyRotation);
  const box = app.get(SecretBox);
  const columns = await eachFeature(app, (owned) => rotation.keyUsage(owned, batchSize));
  const inUse = new Set(columns.flatMap((column) => Object.keys(column.byKeyId)));
  const listed = (app.get(AppConfig).env.ENCRYPTION_KEYS ?? []).map(({ id }) => id);
  const current = rotation.currentKeyId;
  return {
    currentKeyId: current,
    columns,
    unusedKeyIds: listed.filter((id) => id !== current && !inUse.has(id)),
    olderKeyIdsInUse: [...inUse].filter((id) => id !== current && box.hasKey(id)),
    unknownKeyIds: [...inUse].filter((id) => !box.hasKey(id)),
  };
}

export function formatResealReports(currentKeyId: string, reports: ResealReport[]): string {
  const lines = [
    `Re-sealed under key ${currentKeyId}:`,
    ...aligned([
      ['column', 're-sealed', 'already current', 'could not open', 'changed meanwhile'],
      ...reports.map((report) => [
        report.column,
        ...[report.resealed, report.current, report.unreadable, report.changedMeanwhile].map(
          String,
        ),
      ]),
    ]),
  ];
  const unreadable = sum(reports.map((report) => report.unreadable));
  const changed = sum(reports.map((report) => report.changedMeanwhile));
  if (unreadable > 0) {
    lines.push(
      `${unreadable} value(s) could not be opened (a key id not in ENCRYPTION_KEYS, or damaged) and were left as they are; \`keys status\` shows their key ids.`,
    );
  }
  if (changed > 0) {
    lines.push(
      `${changed} value(s) were rewritten by Intake while this ran and kept that write; run \`keys rotate\` again to check them.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatKeyStatus(status: KeyStatus): string {
  const lines = [
    `Current key: ${status.currentKeyId}`,
    ...aligned([
      ['column', 'values by key id'],
      ...status.columns.map((column) => [column.column, describeUsage(column) || 'none']),
    ]),
  ];
  if (status.olderKeyIdsInUse.length > 0) {
    lines.push(
      `Still in use by stored values: ${status.olderKeyIdsInUse.join(', ')}; run \`keys rotate\`.`,
    );
  }
  if (status.unknownKeyIds.length > 0) {
    lines.push(
      `Not configured but named by stored values (those do not open): ${status.unknownKeyIds.join(', ')}.`,
    );
  }
  if (status.unusedKeyIds.length > 0) {
    lines.push(
      `Used by no stored value, so removable from ENCRYPTION_KEYS: ${status.unusedKeyIds.join(', ')} (browser cookies sealed with it stop opening: those users sign in again).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeUsage(column: KeyUsageReport): string {
  const counts = Object.entries(column.byKeyId)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, count]) => `${id}: ${count}`);
  if (column.unrecognised > 0) counts.push(`not sealed: ${column.unrecognised}`);
  return counts.join(', ');
}

/** Left-aligned columns, two spaces apart. */
function aligned(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, index) =>
    Math.max(...rows.map((row) => row[index]?.length ?? 0)),
  );
  return rows.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths?.[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
