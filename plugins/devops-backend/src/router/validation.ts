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
  const n = Number(Buffer.from(String(value), 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new InputError('cursor is not valid');
  return n;
}

export const encodeCursor = (n: number) => Buffer.from(String(n)).toString('base64url');
