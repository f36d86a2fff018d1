import { InputError } from '@backstage/errors';
import type { RequestHandler } from 'express';

const NUL = '\u0000';

/**
 * Where in a parsed value the first NUL is: a dotted path of keys, '' for the value
 * itself; undefined when it holds none.
 */
export function nulIn(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes(NUL)) return at;
    const found = nulIn(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Which part of the request holds a NUL, in words; undefined when none does. */
function nulPlace(req: Parameters<RequestHandler>[0]): string | undefined {
  if (/%00/i.test(req.path)) return 'the path';
  const inQuery = nulIn(req.query);
  if (inQuery !== undefined) return `query parameter "${inQuery}"`;
  const inBody = nulIn(req.body);
  if (inBody === undefined) return undefined;
  return inBody ? `"${inBody}" of the body` : 'the body';
}

/** The refusal of input holding a NUL at `place` (in words), for the routes and actions. */
export const nulCharacterError = (place: string) =>
  new InputError(
    `The request holds a NUL character (\\u0000) in ${place}; no id, name or text may contain one`,
  );

/**
 * Refuses a request with a NUL character anywhere in its path, query or body, before any
 * route reads it. No id, name or text of ours holds one, and PostgreSQL can neither store
 * nor compare one ("invalid byte sequence for encoding UTF8: 0x00"), so such input was a
 * 500 on PostgreSQL while SQLite took it.
 */
export const rejectNulCharacters: RequestHandler = (req, _res, next) => {
  const place = nulPlace(req);
  next(place ? nulCharacterError(place) : undefined);
};
