import { z } from 'zod';

/** Pipeline slugs: what URLs, exports and catalog annotations refer to. */
export const PIPELINE_NAME_PATTERN = /^[a-z0-9-]{1,63}$/;

/** Parameter and environment variable names: what a POSIX shell can expand. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Says "a name is required" for a missing name rather than what type was expected. */
const nameString = () =>
  z.string({
    error: issue =>
      issue.input === undefined ? 'a name is required' : 'a name must be text',
  });

export const pipelineNameSchema = nameString().regex(
  PIPELINE_NAME_PATTERN,
  'must be 1 to 63 characters of lowercase letters, digits and "-"',
);

export const variableNameSchema = nameString().regex(
  VARIABLE_NAME_PATTERN,
  'must start with a letter or "_" and hold only letters, digits and "_"',
);

/**
 * Free text that must not be blank (stage names, task names, images...). A missing field
 * says what is missing ("an image is required"), not just that a string was expected.
 */
export const requiredText = (what: string) =>
  z
    .string({
      error: issue =>
        issue.input === undefined
          ? `${what} is required`
          : `${what} must be text`,
    })
    .trim()
    .min(1, `${what} is required`);
