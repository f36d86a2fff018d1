/** What the messages below read from a zod issue; a structural type, so no zod import. */
type IssueInput = {
  code: string;
  input?: unknown;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
};

type IssueLike = { path: PropertyKey[]; message: string };

/** The part of a zod schema a form needs: parsing with its own messages. */
export type FormSchema<T> = {
  safeParse(
    input: unknown,
    params?: { error?: (issue: IssueInput) => string | undefined },
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly IssueLike[] } };
};

/** Messages by field path, e.g. `schedule.interval`. */
export type FieldErrors = Partial<Record<string, string>>;

export type Validation<T> =
  | { value: T; errors?: undefined }
  | { value?: undefined; errors: FieldErrors };

/**
 * Words for the checks the shared schemas leave to zod's defaults, written for a person
 * at a form field ("must be at most 59" rather than "Too small: expected number to be
 * >=1"). A message the schema states itself takes precedence over these.
 */
function formMessage(issue: IssueInput): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      if (Number.isNaN(issue.input)) return 'must be a number';
      return issue.expected === 'int' ? 'must be a whole number' : undefined;
    case 'too_small':
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}

/**
 * Checks form input with the schema the backend checks the request with, so the form
 * and the API never disagree; the first message for each field is kept.
 */
export function validate<T>(
  schema: FormSchema<T>,
  input: unknown,
): Validation<T> {
  const result = schema.safeParse(input, { error: formMessage });
  if (result.success) {
    return { value: result.data };
  }
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    errors[field] ??= issue.message;
  }
  return { errors };
}
