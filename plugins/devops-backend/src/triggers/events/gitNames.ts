import { z } from 'zod';

/**
 * A commit as the code hosts send it: a git object id, SHA-1 (40 hex digits) or SHA-256
 * (64). Anything else is no commit a run could check out, and on PostgreSQL it did not
 * fit the runs' commit column (64 characters): the delivery failed in the subscriber.
 */
export const objectId = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i);

/** ASCII control characters and DEL, NUL among them. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * A ref, branch or tag name as the code hosts send it: git allows no control character in
 * one (git check-ref-format), and PostgreSQL can store no NUL in the activity's summary,
 * where SQLite took it.
 */
export const refName = z
  .string()
  .min(1)
  .refine(name => !CONTROL_CHARACTER.test(name));
