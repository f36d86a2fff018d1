import type { z } from 'zod';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Writes an issue path the way a person reads it: `spec.stages[1].tasks[0].type`. Keys
 * that are not identifiers (record keys such as `values["app.kubernetes.io/name"]`) are
 * quoted, so the path stays unambiguous.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    if (typeof key === 'symbol') return `${text}[${String(key)}]`;
    if (!IDENTIFIER.test(key)) return `${text}[${JSON.stringify(key)}]`;
    return text ? `${text}.${key}` : key;
  }, '');
}

type Issue = z.core.$ZodIssue;

/** Splits issues that concern several fields, so each line names exactly one. */
function explain(
  issue: Issue,
): Array<{ path: PropertyKey[]; message: string }> {
  switch (issue.code) {
    case 'unrecognized_keys':
      // zod reports them on the object; the person wants to know which field to remove.
      return issue.keys.map(key => ({
        path: [...issue.path, key],
        message: 'unknown field',
      }));
    case 'invalid_key':
      // "Invalid key in record" alone does not say what is wrong with the key.
      return [
        {
          path: issue.path,
          message: issue.issues.length
            ? `invalid name: ${issue.issues
                .map(inner => inner.message)
                .join(', ')}`
            : issue.message,
        },
      ];
    default:
      return [{ path: issue.path, message: issue.message }];
  }
}

/** One line per problem, each led by the path of the field it concerns. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap(explain)
    .map(({ path, message }) => {
      const where = formatIssuePath(path);
      return where ? `${where}: ${message}` : message;
    })
    .join('; ');
}
