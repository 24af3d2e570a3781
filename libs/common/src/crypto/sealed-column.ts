/** One stored SecretBox value: where it is (`key`), and the purpose it was sealed for. */
export interface SealedValue<Key> {
  key: Key;
  sealed: string;
  purpose: string;
}

export interface SealedChange<Key> {
  key: Key;
  expected: string;
  next: string;
}

/**
 * A column of SecretBox values, as the feature that owns its table exposes it to key
 * rotation. Rotation works across owners, so implementations run in the system context
 * (the connecting role, which row-level security does not restrict), like retention.
 */
export interface SealedColumn<Key> {
  /** `table.column`, as reported to the operator. */
  readonly name: string;
  /** Up to `limit` non-null values after `after` in key order (keyset; null: from the start). */
  page(after: Key | null, limit: number): Promise<SealedValue<Key>[]>;
  /**
   * One statement: writes each `next` only where the column still holds `expected`
   * (compare-and-set) and returns how many were written. A value its owner changed or
   * deleted meanwhile keeps what that write left.
   */
  replace(changes: readonly SealedChange<Key>[]): Promise<number>;
}
