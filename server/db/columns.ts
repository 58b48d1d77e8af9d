import type { EntitySchemaColumnOptions } from 'typeorm';

/**
 * Column shapes shared by every entity. Times are epoch milliseconds in a bigint column: portable
 * between SQLite and PostgreSQL, sortable, and PostgreSQL's int8-as-string is turned back into a number.
 */
const epochMs = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

export const id: EntitySchemaColumnOptions = { type: 'integer', primary: true, generated: 'increment' };
export const ref = (nullable = false): EntitySchemaColumnOptions => ({ type: 'integer', nullable });
export const time = (nullable = false): EntitySchemaColumnOptions => ({ type: 'bigint', nullable, transformer: epochMs });
export const text = (nullable = false, length?: number): EntitySchemaColumnOptions =>
  length ? { type: 'varchar', length, nullable } : { type: 'text', nullable };
export const json = (nullable = false): EntitySchemaColumnOptions => ({ type: 'simple-json', nullable });
export const bool = (): EntitySchemaColumnOptions => ({ type: 'boolean', default: false });
export const int = (dflt = 0): EntitySchemaColumnOptions => ({ type: 'integer', default: dflt });
