import { InputError } from '@backstage/errors';
import { describeIssues } from '@devops-pipelines/plugin-devops-common';
import type { z } from 'zod';

/** Validates a request body with the shared schema; the message names each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new InputError(`Invalid request: ${describeIssues(result.error)}`);
  }
  return result.data;
}

/** Reads a positive integer query parameter within bounds. */
export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new InputError(`limit must be an integer from 1 to ${max}`);
  }
  return n;
}

/** Cursors are opaque to clients; inside they are a non-negative integer. */
export function decodeCursor(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  // Buffer.from(..., 'base64url') skips characters outside the alphabet, so "!!" would
  // decode to "" and read as 0: check the text before and after decoding.
  const text = typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value)
    ? Buffer.from(value, 'base64url').toString('utf8')
    : '';
  if (!/^\d{1,15}$/.test(text)) throw new InputError('cursor is not valid');
  return Number(text);
}

export const encodeCursor = (n: number) => Buffer.from(String(n)).toString('base64url');

/** A log position to resume after: a non-negative integer, 0 when absent. */
export function parseSeq(value: unknown): number {
  if (value === undefined || value === '') return 0;
  const text = String(value);
  if (!/^\d{1,15}$/.test(text)) {
    throw new InputError('after (or Last-Event-ID) must be a log sequence number');
  }
  return Number(text);
}
