import type { z } from 'zod';

/** Writes an issue path the way a person reads it: `spec.stages[1].tasks[0].type`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

/** One line per problem, each led by the path of the field it concerns. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = formatIssuePath(issue.path);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
