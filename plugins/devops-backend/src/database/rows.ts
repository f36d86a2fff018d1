/** Times come back as Date (PostgreSQL), or as epoch milliseconds (SQLite, where knex binds Dates as numbers). */
export type DbTime = Date | number | string;

export function toIso(value: DbTime | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value).toISOString();
}

export function toMillis(value: DbTime | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value).getTime();
}

export function parseJson<T>(value: string | null | undefined): T | undefined {
  return value ? (JSON.parse(value) as T) : undefined;
}

/** Both databases count rows as numbers or numeric strings. */
export function toCount(row: { count?: string | number } | undefined): number {
  return Number(row?.count ?? 0);
}

/**
 * Text as PostgreSQL can store it: its text type holds no NUL character (SQLite's does), so
 * a NUL a task printed, or that ended up in a message, is kept as ␀ (U+2400) instead of
 * failing the whole write.
 */
export function storableText(text: string): string;
export function storableText(text: string | undefined): string | undefined;
export function storableText(text: string | undefined) {
  // eslint-disable-next-line no-control-regex -- NUL is the character replaced
  return text?.replace(/\u0000/g, '\u2400');
}
